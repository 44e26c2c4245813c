import gevent
from common import SharedUser
from locust import HttpUser, LoadTestShape, User, events, task

gevent.spawn(print, "side job")


@events.test_start.add_listener
def on_test_start(environment, **kwargs):
    print("starting")


class Stages(LoadTestShape):
    def tick(self):
        return (10, 1)


class Grpc(User):
    @task
    def call(self):
        pass


class Web(HttpUser):
    fixed_count = 2

    @task
    def home(self):
        self.client.get("/")

    def on_stop(self):
        self.client.post("/logout")


class Elsewhere(SharedUser):
    @task
    def page(self):
        self.client.get("/page")
