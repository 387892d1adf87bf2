"""The Redis cache, made to degrade instead of failing pages while Redis is away.

What the cache holds here can be lost: sessions are written through to the database
(`cached_db`), and the rest are rate-limit counters. So while Redis cannot be reached, a
read is a miss, a write is skipped, and the rate limits let requests through; every such
miss is logged, and the readiness endpoint (marketplace/health.py) reports the cache down so
that the operators know. Once Redis is back, the next command reconnects.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _log(operation: str) -> None:
    logger.warning("The cache (Redis) is unreachable: %s skipped.", operation, exc_info=True)


class ResilientRedisCacheClient(RedisCacheClient):
    def get(self, key, default):
        try:
            return super().get(key, default)
        except UNREACHABLE:
            _log("get")
            return default

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except UNREACHABLE:
            _log("get_many")
            return {}

    def has_key(self, key):
        try:
            return super().has_key(key)
        except UNREACHABLE:
            _log("has_key")
            return False

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except UNREACHABLE:
            _log("set")

    def set_many(self, data, timeout):
        try:
            super().set_many(data, timeout)
        except UNREACHABLE:
            _log("set_many")

    def add(self, key, value, timeout):
        # Claimed as added: the short locks taken through add() (allauth's rate limits)
        # would otherwise make every request wait for them to time out.
        try:
            return super().add(key, value, timeout)
        except UNREACHABLE:
            _log("add")
            return True

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except UNREACHABLE:
            _log("touch")
            return False

    def delete(self, key):
        try:
            return super().delete(key)
        except UNREACHABLE:
            _log("delete")
            return False

    def delete_many(self, keys):
        try:
            return super().delete_many(keys)
        except UNREACHABLE:
            _log("delete_many")
            return False

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE:
            _log("clear")
            return False


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
