"""Locust users for bench/load.py: students browsing and applying, employers reviewing
applicants, both sides in their workspaces. The people come from LOAD_WORLD (a JSON file
written by bench/load.py); every request is named by its route, not its id."""

import itertools
import json
import os
import re
import secrets

from locust import HttpUser, between, task

WORLD = json.loads(open(os.environ["LOAD_WORLD"]).read())  # noqa: SIM115 (read once)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_students = itertools.cycle(WORLD["students"])
_employers = itertools.cycle(WORLD["employers"])
PROJECTS = [pk for employer in WORLD["employers"] for pk in employer["projects"]]


class _SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    @property
    def origin(self) -> str:
        # haproxy tells Django the request came over HTTPS (as from the TLS terminator), so a
        # browser's form posts carry the https origin.
        return "https://" + self.host.split("://", 1)[1]

    def sign_in(self, email: str):
        with self.client.get("/accounts/login/", name="/accounts/login/", catch_response=True) as r:
            token = CSRF_INPUT.search(r.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "login": email,
                "password": WORLD["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Origin": self.origin, "Referer": self.origin + "/accounts/login/"},
            name="/accounts/login/ (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")


class Student(_SignedIn):
    weight = 3

    def on_start(self):
        self.me = next(_students)
        self.applied: set[int] = set()
        self.sign_in(self.me["email"])

    @task(6)
    def browse(self):
        self.client.get("/projects/", name="/projects/")

    @task(4)
    def project(self):
        self.client.get(f"/projects/{secrets.choice(PROJECTS)}/", name="/projects/[id]/")

    @task(1)
    def apply(self):
        left = [pk for pk in PROJECTS if pk not in self.applied]
        if not left:
            return
        pk = secrets.choice(left)
        self.applied.add(pk)
        with self.client.get(
            f"/projects/{pk}/apply/", name="/projects/[id]/apply/ (form)", catch_response=True
        ) as page:
            token = CSRF_INPUT.search(page.text)
            if page.status_code != 200 or token is None:
                # Already applied (a second load run on the same people): not an error.
                page.success()
                return
        with self.client.post(
            f"/projects/{pk}/apply/",
            data={
                "cover_note": "I have done this kind of research before and can start now.",
                "confirmed_availability": "on",
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Origin": self.origin, "Referer": f"{self.origin}/projects/{pk}/apply/"},
            name="/projects/[id]/apply/ (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 302):
                response.failure(f"apply answered {response.status_code}")

    @task(2)
    def workspace(self):
        if self.me["engagements"]:
            pk = secrets.choice(self.me["engagements"])
            self.client.get(f"/engagements/{pk}/", name="/engagements/[id]/")


class Employer(_SignedIn):
    weight = 1

    def on_start(self):
        self.me = next(_employers)
        self.sign_in(self.me["email"])

    @task(4)
    def applicants(self):
        pk = secrets.choice(self.me["projects"])
        self.client.get(
            f"/employer/projects/{pk}/applicants/", name="/employer/projects/[id]/applicants/"
        )

    @task(2)
    def workspace(self):
        pk = secrets.choice(self.me["engagements"])
        self.client.get(f"/engagements/{pk}/", name="/engagements/[id]/")

    @task(1)
    def home(self):
        self.client.get("/", name="/")
