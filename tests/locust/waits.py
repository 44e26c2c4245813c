from locust import HttpUser, between, constant, constant_pacing, constant_throughput, task


class Between(HttpUser):
    wait_time = between(1, 2.5)

    @task
    def a(self):
        self.client.get("/a")


class Constant(HttpUser):
    wait_time = constant(0.25)

    @task
    def b(self):
        self.client.get("/b")


class NoWait(HttpUser):
    wait_time = constant(0)

    @task
    def c(self):
        self.client.get("/c")


class Pacing(HttpUser):
    wait_time = constant_pacing(3)

    @task
    def d(self):
        self.client.get("/d")


class Throughput(HttpUser):
    wait_time = constant_throughput(4)

    @task
    def e(self):
        self.client.get("/e")
