"""Totaljobs (totaljobs.com/job/<slug>/<company>-job<id>), and its sister boards on the same StepStone
platform (CWJobs, Caterer.com, Jobsite): the same `data-at` job ad as StepStone."""
from .stepstone import StepStone


class Totaljobs(StepStone):
    key = "totaljobs"
    hosts = ("www.totaljobs.com", "www.cwjobs.co.uk", "www.caterer.com", "www.jobsite.co.uk")

    def country(self):
        return "GB"
