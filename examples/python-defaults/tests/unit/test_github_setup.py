"""`make github-setup`'s plan, offline: the gh calls built from a stub of the CI stack's outputs."""

from scripts.github_setup import Call, plan, roles

REPOSITORY = "acme/orders-service"
OUTPUTS = {
    "DeployRoleArnDev": "arn:aws:iam::111111111111:role/orders-service-github-deploy-dev",
    "DiffRoleArnDev": "arn:aws:iam::111111111111:role/orders-service-github-diff-dev",
    "DeployRoleArnStaging": "arn:aws:iam::111111111111:role/orders-service-github-deploy-staging",
    "DiffRoleArnStaging": "arn:aws:iam::111111111111:role/orders-service-github-diff-staging",
    "BootstrapCommandDev": "npx cdk bootstrap ...",
}


def _environment_body(calls: list[Call], environment: str) -> dict[str, object]:
    [call] = [c for c in calls if c.args[3] == f"repos/{REPOSITORY}/environments/{environment}"]
    assert call.args[:3] == ("api", "--method", "PUT")
    assert call.body is not None
    return call.body


def test_roles_are_read_per_environment() -> None:
    assert roles(OUTPUTS) == {
        "dev": {"Deploy": OUTPUTS["DeployRoleArnDev"], "Diff": OUTPUTS["DiffRoleArnDev"]},
        "staging": {
            "Deploy": OUTPUTS["DeployRoleArnStaging"],
            "Diff": OUTPUTS["DiffRoleArnStaging"],
        },
    }


def test_every_environment_after_the_first_requires_reviewers_and_deploys_from_main_only() -> None:
    calls = plan(
        OUTPUTS,
        repository=REPOSITORY,
        promotion_order=["dev", "staging", "prod"],
        reviewer_ids=[42],
    )
    dev, staging = _environment_body(calls, "dev"), _environment_body(calls, "staging")
    assert dev["reviewers"] == []
    assert staging["reviewers"] == [{"type": "User", "id": 42}]
    for body in (dev, staging):
        assert body["deployment_branch_policy"] == {
            "protected_branches": False,
            "custom_branch_policies": True,
        }
    branch_policies = [c for c in calls if "name=main" in c.args]
    assert [c.args[3] for c in branch_policies] == [
        f"repos/{REPOSITORY}/environments/{env}/deployment-branch-policies"
        for env in ("dev", "staging")
    ]
    assert all(c.skip_if_listed is not None for c in branch_policies)


def test_role_variables_come_from_the_stacks_outputs() -> None:
    calls = plan(
        OUTPUTS, repository=REPOSITORY, promotion_order=["dev", "staging"], reviewer_ids=[1]
    )
    variables = [c.args for c in calls if c.args[:2] == ("variable", "set")]
    assert variables == [
        (
            "variable",
            "set",
            "AWS_DEPLOY_ROLE_ARN",
            "--repo",
            REPOSITORY,
            "--env",
            "dev",
            "--body",
            OUTPUTS["DeployRoleArnDev"],
        ),
        (
            "variable",
            "set",
            "AWS_DIFF_ROLE_ARN_DEV",
            "--repo",
            REPOSITORY,
            "--body",
            OUTPUTS["DiffRoleArnDev"],
        ),
        (
            "variable",
            "set",
            "AWS_DEPLOY_ROLE_ARN",
            "--repo",
            REPOSITORY,
            "--env",
            "staging",
            "--body",
            OUTPUTS["DeployRoleArnStaging"],
        ),
        (
            "variable",
            "set",
            "AWS_DIFF_ROLE_ARN_STAGING",
            "--repo",
            REPOSITORY,
            "--body",
            OUTPUTS["DiffRoleArnStaging"],
        ),
    ]


def test_environments_of_another_accounts_stack_are_left_alone() -> None:
    # prod's roles live in another account's CI identity stack; it is still the one gated
    # environment after dev, and this stack's outputs set up nothing for it.
    calls = plan(
        OUTPUTS, repository=REPOSITORY, promotion_order=["dev", "staging", "prod"], reviewer_ids=[1]
    )
    assert not [c for c in calls if "prod" in " ".join(c.args)]
    assert plan({}, repository=REPOSITORY, promotion_order=["dev"], reviewer_ids=[1]) == []
