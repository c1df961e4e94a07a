"""Oracle Recruiting Cloud (<pod>.fa.<dc>.oraclecloud.com/hcmUI/CandidateExperience/<lang>/sites/<site>/job/<id>):
the candidate experience's `job-details` pane and its `job-meta` labelled items."""
from ..sitekit import DeclaredSite, with_foreign

_PANE = ".job-details "


class OracleCloud(DeclaredSite):
    key = "oraclecloud"
    hosts = ("*.oraclecloud.com",)  # <tenant>.fa.<region>.oraclecloud.com
    logos = ('img.app-header__logo', 'header img')
    apply_step = r"^(.*/job/\d+)/apply"
    marker = ".job-details__title, .job-details__description-content"
    facts_scope = (".job-details",)
    selectors = {"title": (".job-details__title", "h1.job-details__title"),
                 "locations": (_PANE + ".job-details__subtitle [data-bind*='location']", _PANE + ".job-details__subtitle"),
                 "description": (_PANE + ".job-details__description-content", ".job-details__description-content"),
                 "apply_url": ("a.apply-now-button@href", "a[href*='/apply/']@href")}
    labels = with_foreign({
        "employment_type": ("job schedule", "schedule", "worker type", "job type", "regular or temporary"),
        "date_posted": ("posting date", "posted", "job posting date"),
        "valid_through": ("posting end date", "apply before", "unposting date"),
        "remote": ("workplace type", "remote", "work location type"),
        "salary": ("pay range", "salary range", "compensation", "pay")})

    def locations(self):
        listed = self.fact("locations", "location", "primary location")
        return listed or self.declared("locations")
