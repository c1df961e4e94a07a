"""Canonical URLs: one posting, one key, however the link was shared.

Job boards decorate links with tracking parameters (utm_*, gh_src, lever-source,
refId, trackingId...) and fragments. We drop those and lower-case the scheme and
host, so the same posting captured twice is found as a duplicate.
"""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import ValidationError

# Exact names (compared lower-cased) and prefixes of query parameters that only
# say where a click came from, never which posting it is.
TRACKING_PARAMS = frozenset({
    "gh_src", "lever-source", "lever-origin", "lever-source[]", "refid", "trackingid",
    "trk", "trkinfo", "tracking_id", "ref", "referrer", "src", "source", "sourcetype",
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
    "icid", "cmpid", "from", "vjs", "tk", "advn", "sjdu", "adid", "camk",
    "jrtk", "zip_src", "currentjobid", "eby", "lipi", "position", "pagenum",
    "searchid", "utm",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "_ga", "__hs", "rx_")


def _is_tracking(name):
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _linkedin_job_id(host, path, params):
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")) or "/jobs/view/" in path:
        return None
    job_id = next((v for k, v in params if k.lower() == "currentjobid"), "")
    return job_id if job_id.isascii() and job_id.isdigit() else None


def canonical_url(url):
    """Return the canonical form of an http(s) URL, or raise ValidationError."""
    if not isinstance(url, str) or not url.strip():
        raise ValidationError("url must be a non-empty string", code="invalid_url")
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises ValueError on a malformed port
    except ValueError as error:
        raise ValidationError(f"url is not a valid URL: {error}", code="invalid_url") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError("url must start with http:// or https://", code="invalid_url")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValidationError("url has no host name", code="invalid_url")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}[scheme]
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    params = parse_qsl(parts.query, keep_blank_values=True)
    path = parts.path or "/"
    job_id = _linkedin_job_id(host, path, params)
    if job_id:
        # LinkedIn's search and collection pages show one posting by ?currentJobId=; its own
        # address is /jobs/view/<id> (the extension's postingUrl() makes the same one).
        netloc, path, params = "www.linkedin.com", f"/jobs/view/{job_id}", []
    query = urlencode([(k, v) for k, v in params if not _is_tracking(k)])
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url):
    """The lower-cased host name of a URL ('' when it has none)."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""
