"""The API's handler on requests it refuses before touching AWS: every one gets a 4xx that says why."""

from tests.api_client import ApiClient


def test_health_answers_ok(api: ApiClient) -> None:
    response = api.get("/health")
    assert (response.status, response.body) == (200, {"status": "ok"})


def test_unknown_path_is_404(api: ApiClient) -> None:
    assert api.get("/no-such-path").status == 404


NEW_ORDER = {"items": [{"sku": "BOOK-1", "quantity": 1, "unit_price_cents": 1250}]}


def test_malformed_json_is_400_saying_so(api: ApiClient) -> None:
    response = api.post("/users", '{"user_id": "alice",')
    assert response.status == 400
    assert response.body["message"] == "the request body is not valid JSON"


def test_missing_field_is_422_naming_the_field(api: ApiClient) -> None:
    response = api.post("/users", {"user_id": "alice", "email": "alice@example.com"})
    assert response.status == 422
    assert [(p["loc"], p["type"]) for p in response.body["detail"]] == [
        (["body", "name"], "missing")
    ]


def test_unexpected_field_is_422(api: ApiClient) -> None:
    response = api.post(
        "/users",
        {"user_id": "alice", "email": "alice@example.com", "name": "Alice", "admin": True},
    )
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["body", "admin"]


def test_bad_path_parameter_is_422_with_the_rule_it_breaks(api: ApiClient) -> None:
    response = api.get("/users/not.a.user.id")
    assert response.status == 422
    (problem,) = response.body["detail"]
    assert problem["loc"] == ["path", "user_id"]
    assert "pattern" in problem["msg"]


def test_bad_order_id_is_422(api: ApiClient) -> None:
    assert api.get("/orders/not-a-ulid/items").status == 422


def test_page_size_out_of_range_is_422(api: ApiClient) -> None:
    response = api.get("/users/alice/orders", query={"limit": "1000"})
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["query", "limit"]


def test_order_without_an_idempotency_key_is_422(api: ApiClient) -> None:
    response = api.post("/users/alice/orders", NEW_ORDER)
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["header", "idempotency-key"]


def test_order_without_items_is_422(api: ApiClient) -> None:
    response = api.post("/users/alice/orders", {"items": []}, headers={"Idempotency-Key": "k-1"})
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["body", "items"]


def test_negative_quantity_is_422(api: ApiClient) -> None:
    order = {"items": [{"sku": "BOOK-1", "quantity": -1, "unit_price_cents": 1250}]}
    response = api.post("/users/alice/orders", order, headers={"Idempotency-Key": "k-1"})
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["body", "items", 0, "quantity"]
