"""One spam defence for every public form.

- A honeypot field people never see, and a signed timestamp: a post that
  fills the honeypot or carries a missing or tampered timestamp is
  *suspected spam*. The form still validates and ``form.spam_reason`` says
  why, so the view stores the submission with that reason instead of
  dropping it; staff can restore it.
- A post faster than ``SPAM_MIN_SUBMIT_SECONDS`` (a person's browser can
  autofill a form in a second) or with a timestamp older than
  ``SPAM_TOKEN_MAX_AGE`` (a tab left open for days) is *not* taken: the form
  is shown again with a short note asking to check and send it again, so a
  person is never told "we've got it" about something we kept as spam. The
  second post passes (the too-fast one keeps its first timestamp, which is
  older by then; the expired one gets a fresh one).
- A per-IP rate limit (the address from ``inbox.net.client_ip``) through Django's cache (``FORM_RATE_LIMIT``, e.g.
  ``"5/m"``; ``None`` turns it off): over the limit, the view answers 429.
- reCAPTCHA (django-recaptcha) when ``RECAPTCHA_PUBLIC_KEY`` and
  ``RECAPTCHA_PRIVATE_KEY`` are set. A verification service that times out
  or cannot be reached gives a clear form error, never a 500.
"""

import logging
import time
from urllib.error import URLError

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError

from inbox.net import client_ip

from .validators import clean_multiline, clean_single_line

logger = logging.getLogger(__name__)

TOKEN_SALT = "lpsite.spam.form-token"  # noqa: S105 - a signing namespace, not a secret
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 - a field name
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def make_token(now=None):
    """A signed timestamp of when the form was shown."""
    return signing.dumps({"t": round(now if now is not None else time.time(), 3)}, salt=TOKEN_SALT)


TOO_FAST_NOTE = "That was quick! Please check your answers, then send the form again."
EXPIRED_NOTE = "This form was open for a long time. Please check your answers, then send it again."


def read_token(token):
    """The timestamp in a token, or None when it is missing or tampered with."""
    if not token:
        return None
    try:
        return float(signing.loads(token, salt=TOKEN_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def recaptcha_enabled():
    return bool(getattr(settings, "RECAPTCHA_PUBLIC_KEY", "") and getattr(settings, "RECAPTCHA_PRIVATE_KEY", ""))


def make_recaptcha_field():
    from django_recaptcha.fields import ReCaptchaField

    class SafeReCaptchaField(ReCaptchaField):
        """django-recaptcha only catches HTTP errors; a timeout or an unreachable host would be a 500."""

        def validate(self, value):
            try:
                super().validate(value)
            except (URLError, TimeoutError, OSError) as exc:
                logger.warning("reCAPTCHA verification failed: %s", exc)
                raise ValidationError(
                    "We couldn't check the anti-spam test just now. Please wait a minute and send the form again.",
                    code="captcha_unavailable",
                ) from exc

    return SafeReCaptchaField(label="Anti-spam check")


class SpamProtectedForm(forms.Form):
    """Mixin for public forms: honeypot, signed timestamp and (when configured) reCAPTCHA.

    After ``is_valid()``, ``spam_reason`` is ``""`` for a person and a short
    reason for suspected spam.
    """

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp-input"}),
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    spam_reason = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD].initial = make_token()
        if recaptcha_enabled():
            self.fields["captcha"] = make_recaptcha_field()

    def clean(self):
        cleaned = super().clean()
        self.spam_reason = self.detect_spam(cleaned)
        # Every text answer (editors' extra questions included) loses invisible
        # and bidirectional-control characters (inbox/validators.py).
        for name, value in cleaned.items():
            if isinstance(value, str) and name != TOKEN_FIELD and name in self.fields:
                multiline = isinstance(self.fields[name].widget, forms.Textarea)
                cleaned[name] = clean_multiline(value) if multiline else clean_single_line(value)
        if not self.spam_reason:
            self.check_timing()
        return cleaned

    def detect_spam(self, cleaned):
        """Why this post is kept as suspected spam (silently), or ""."""
        if (cleaned.get(HONEYPOT_FIELD) or "").strip():
            return "Filled in the hidden honeypot field"
        if read_token(self.data.get(self.add_prefix(TOKEN_FIELD))) is None:
            return "Missing or tampered form timestamp"
        return ""

    def check_timing(self):
        """A post too soon after the form was shown, or long after, goes back to the person with a note."""
        shown_at = read_token(self.data.get(self.add_prefix(TOKEN_FIELD)))
        elapsed = time.time() - shown_at
        if elapsed < getattr(settings, "SPAM_MIN_SUBMIT_SECONDS", 3):
            self.add_error(None, forms.ValidationError(TOO_FAST_NOTE, code="too_fast"))
        elif elapsed > getattr(settings, "SPAM_TOKEN_MAX_AGE", 86400):
            self.data = self.data.copy()
            self.data[self.add_prefix(TOKEN_FIELD)] = make_token()
            self.add_error(None, forms.ValidationError(EXPIRED_NOTE, code="expired"))

    @property
    def visible_fields_for_people(self):
        """The fields a person fills in (not the honeypot or the timestamp)."""
        return [f for f in self.visible_fields() if f.name != HONEYPOT_FIELD]


def parse_rate(rate):
    """ "5/m" -> (5, 60). None, "" and "none"/"off" mean no limit."""
    if rate in (None, "") or str(rate).lower() in {"none", "off"}:
        return None
    try:
        count, period = str(rate).split("/")
        return int(count), PERIODS[period.strip().lower()[0]]
    except (ValueError, KeyError, IndexError) as exc:
        raise ImproperlyConfigured(f"FORM_RATE_LIMIT must look like '5/m', not {rate!r}") from exc


def rate_limited(request, scope="form", rate=None):
    """Count a submission from this IP; True when it goes over ``rate`` (default ``FORM_RATE_LIMIT``)."""
    rate = rate if rate is not None else getattr(settings, "FORM_RATE_LIMIT", None)
    return over_rate(f"{scope}:{client_ip(request)}", rate)


def over_rate(who, rate):
    """Count one more from ``who`` (a scope and an address); True when it goes over ``rate`` ("5/m")."""
    parsed = parse_rate(rate)
    if parsed is None:
        return False
    count, period = parsed
    window = int(time.time() // period)
    key = f"lpsite:rate:{who}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        hits = 1
    return hits > count


RATE_LIMIT_MESSAGE = "You've sent this form several times in a short while. Please wait a minute and try again."
