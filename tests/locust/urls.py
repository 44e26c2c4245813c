import os
import random
import uuid
from uuid import uuid4

from locust import HttpUser, task

SIZES = ["s", "m", "l"]
BASE = "/api/v1"


class Urls(HttpUser):
    def on_start(self):
        self.user_tag = random.randint(1, 9)

    @task
    def forms(self):
        self.client.get("/literal")
        self.client.get(f"{BASE}/items/{random.randint(1, 100)}", name="/items/{id}")
        self.client.get("/sizes/%s/%d" % (random.choice(SIZES), random.randrange(0, 10)),
                        name="/sizes")
        self.client.get("/orders/{}/{}".format(uuid.uuid4(), self.user_tag), name="/orders")
        self.client.get("/by-name/{who}".format(who=str(uuid4())), name="/by-name")
        self.client.get(BASE + "/plus/" + str(random.randint(5, 6)), name="/plus")
        item = random.choice([10, 20])
        self.client.get(f"/once/{item}", name="/once")

    @task
    def from_env(self):
        self.client.get(f"/{os.environ['ITEM_PATH']}/{os.getenv('ITEM_ID')}", name="/env")

    @task
    def floats(self):
        self.client.get(f"/score/{random.random()}", name="/score")
        self.client.post("/echo", json={"score": random.random(), "id": random.randint(1, 3),
                                        "who": "me"}, name="/echo")
