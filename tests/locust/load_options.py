from locust import HttpUser, constant, task


class Quick(HttpUser):
    host = "http://ignored.example"
    wait_time = constant(1)

    @task
    def home(self):
        self.client.get("/")
