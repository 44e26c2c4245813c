from locust import HttpUser, SequentialTaskSet, TaskSet, task


class Checkout(SequentialTaskSet):
    def on_start(self):
        self.client.get("/cart")

    @task
    def address(self):
        self.client.post("/address", json={"city": "Lyon"})

    @task
    def pay(self):
        self.client.post("/pay")
        self.interrupt()


class Browse(TaskSet):
    @task(3)
    def item(self):
        self.client.get("/item")
        self.interrupt()

    @task(1)
    def search(self):
        self.client.get("/search")
        self.interrupt(reschedule=False)


class Shopper(HttpUser):
    tasks = {Checkout: 1, Browse: 2}

    @task(2)
    def home(self):
        self.client.get("/")


class Forum(TaskSet):
    @task(2)
    def read(self):
        self.client.get("/thread")

    @task
    def post(self):
        self.client.post("/thread", data={"text": "hi there"})


class Poster(HttpUser):
    tasks = [Forum]
