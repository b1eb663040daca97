"""The service in one environment: each concern is a construct, composed here."""

from typing import Any

from aws_cdk import Stack
from constructs import Construct

from infra.constructs.api import Api
from infra.constructs.dashboard import Dashboard
from infra.constructs.data import Data
from infra.constructs.monitoring import Monitoring
from infra.constructs.user_pool import UserPool
from infra.settings import EnvironmentSettings


class ServiceStack(Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, settings: EnvironmentSettings, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.monitoring = Monitoring(self, "Monitoring", settings=settings)
        self.data = Data(self, "Data", settings=settings, monitoring=self.monitoring)
        self.user_pool = UserPool(self, "UserPool", settings=settings)
        self.api = Api(
            self,
            "Api",
            settings=settings,
            monitoring=self.monitoring,
            authorizer=self.user_pool.authorizer,
            data=self.data,
        )
        # Last: it shows every alarm and resource the constructs above made.
        self.dashboard = Dashboard(
            self,
            "Dashboard",
            settings=settings,
            monitoring=self.monitoring,
            api=self.api,
            data=self.data,
        )
