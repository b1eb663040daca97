"""One construct per concern; the service stack composes them."""
