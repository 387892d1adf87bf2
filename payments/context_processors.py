from payments.gateways import test_mode


def payments(request):
    """Every page that shows money says "test mode" when no real money can move."""
    return {"payments_test_mode": test_mode()}
