from locust import HttpUser, task


class Checks(HttpUser):
    @task
    def status(self):
        with self.client.get("/status/200", catch_response=True) as r:
            if r.status_code != 200:
                r.failure("wrong status")

    @task
    def statuses_and_body(self):
        with self.client.post("/login", json={"email": "a@b.c"}, catch_response=True) as resp:
            if resp.status_code not in (200, 201):
                resp.failure("not created")
            elif "access_token" not in resp.text:
                resp.failure("no token")
            else:
                resp.success()

    @task
    def json_and_time(self):
        with self.client.get("/private", catch_response=True) as r:
            if r.json()["private"] != True or r.elapsed.total_seconds() > 0.5:
                r.failure("slow or public")

    @task
    def success_branch(self):
        with self.client.get("/json", catch_response=True) as r:
            if r.json()["items"][1] == 2:
                r.success()
            else:
                r.failure("bad item")
