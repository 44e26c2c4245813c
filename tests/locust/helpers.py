import random

from locust import HttpUser, task

PAGE_SIZE = 20
REGIONS = ("eu", "us")
ORIGIN = "http://127.0.0.1:8089"


def item_path(item_id, region="eu"):
    return f"/{region}/items/{item_id}?size={PAGE_SIZE}"


def random_region():
    """One return of a supported expression: inlined."""
    return random.choice(REGIONS)


class Helped(HttpUser):
    host = ORIGIN

    @task
    def item(self):
        self.client.get(item_path(random.randint(1, 50)), name="/items")

    @task
    def regional(self):
        self.client.get(item_path(7, region=random_region()), name="/items/7")
