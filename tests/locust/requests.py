from locust import HttpUser as Web, task


class Api(Web):
    @task
    def verbs(self):
        self.client.get("/get", params={"page": 2, "q": "a b"})
        self.client.post("/post", json={"n": 1, "ok": True, "none": None, "list": [1, "x"],
                                        "nested": {"k": 1.5}, "empty": {}})
        self.client.put("/put", data={"field": "value", "n": 3})
        self.client.patch("/patch", data=b"raw bytes")
        self.client.delete("/delete", headers={"X-Reason": "cleanup"})
        self.client.head("/head", allow_redirects=False)
        self.client.options("/options", timeout=2.5)
        self.client.request("GET", "/request", name="request", cookies={"theme": "dark"})
