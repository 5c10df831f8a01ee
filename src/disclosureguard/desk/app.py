"""The desk's web application (Starlette, Jinja2 templates, asgi-csrf, argon2).

Pages that show values are the two item pages (a held message, a sweep finding); each
view is written to the audit log. Every other page shows rules, cases, addresses,
decisions and counts only. No value goes into a URL (items are numbered; a folder filter
is a folder's number), a log line (uvicorn's access log is off; our own lines name item
numbers and users) or an audit record (a justification or note that quotes a value of the
item is refused). Every response carries a content security policy allowing nothing but
the app's own stylesheet: there is no script.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asgi_csrf import asgi_csrf
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..audit import AuditLog
from . import auth, notices
from .holds import CONTEXT
from .postfix import PostfixQueue, QueueError
from .report import report as make_report
from .settings import DeskConfig
from .store import MARK_LABELS, MARKS, Store, User

log = logging.getLogger("disclosureguard.desk")
HERE = Path(__file__).parent
MIN_JUSTIFICATION = 10
MAX_TEXT = 2000
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class _Everywhere:
    """asgi-csrf checks a cookie-less POST only on listed paths: list every path."""

    def __contains__(self, path: object) -> bool:
        return True


class SecurityHeaders:
    def __init__(self, app: ASGIApp, tls: bool) -> None:
        self.app = app
        self.headers = SECURITY_HEADERS + ([(b"strict-transport-security", b"max-age=31536000")] if tls else [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in self.headers if k not in names]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC") if ts else ""


class Desk:
    def __init__(self, config: DeskConfig) -> None:
        self.config = config
        self.store = Store(config.store)
        self.audit = AuditLog(config.audit_log)
        self.queue = PostfixQueue.from_settings(config.postfix_config, config.command_prefix)
        self.relay = notices.Relay.parse(config.notice_relay, config.notice_from) if config.notice_relay else None
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.filters["when"] = _when
        self.templates.env.globals["mark_labels"] = MARK_LABELS

    # Plumbing --------------------------------------------------------------------------

    def user(self, request: Request) -> User | None:
        cfg = self.config
        if cfg.trusted_header and request.client and request.client.host in cfg.trusted_proxies:
            name = request.headers.get(cfg.trusted_header)
            if name:
                return self.store.user(name.strip())
        sid = request.session.get("sid")
        if not isinstance(sid, str):
            return None
        name = self.store.session_user(sid, cfg.session_hours * 3600)
        return self.store.user(name) if name else None

    def page(self, request: Request, name: str, user: User | None, http_status: int = 200,
             **context: Any) -> Response:
        csrf = request.scope.get("csrftoken")
        return self.templates.TemplateResponse(request, name, {"user": user, "csrftoken": csrf() if csrf else "",
                                                               **context}, status_code=http_status)

    def record(self, user: User, action: str, **fields: Any) -> None:
        self.audit.append({"event": "desk", "action": action, "user": user.name, "role": user.role, **fields})

    def signed_in(self, admin: bool = False) -> Callable[
            [Callable[[Request, User], Awaitable[Response]]], Callable[[Request], Awaitable[Response]]]:
        def wrap(handler: Callable[[Request, User], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
            async def endpoint(request: Request) -> Response:
                user = self.user(request)
                if user is None:
                    if request.method != "GET":
                        return PlainTextResponse("sign in first", status_code=401)
                    return RedirectResponse("/login", status_code=303)
                if admin and user.role != "admin":
                    return PlainTextResponse("only an admin may do this", status_code=403)
                return await handler(request, user)
            return endpoint
        return wrap

    # Sign in ---------------------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        return self.page(request, "login.html", None)

    async def login(self, request: Request) -> Response:
        form = await request.form()
        name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))[:1024]
        client = request.client.host if request.client else None
        result = auth.login(self.store, name, password, self.config.login, client=client)
        if result.user is None:
            known = self.store.user(name) is not None
            self.audit.append({"event": "desk", "action": "login-locked" if result.locked else "login-failed",
                               "user": name if known else "(not an account)"})
            log.warning("a failed sign-in%s", " (the name is now locked)" if result.locked else "")
            message = ("Too many wrong passwords: this name is locked for a while." if result.locked
                       else "The name or the password is wrong.")
            return self.page(request, "login.html", None, http_status=429 if result.locked else 401, error=message)
        request.session.clear()
        request.session["sid"] = self.store.new_session(result.user.name)
        self.record(result.user, "login")
        return RedirectResponse("/held", status_code=303)

    async def logout(self, request: Request) -> Response:
        sid = request.session.get("sid")
        if isinstance(sid, str):
            self.store.end_session(sid)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # Held mail -------------------------------------------------------------------------

    async def held_list(self, request: Request, user: User) -> Response:
        q = request.query_params
        rule, case, status = q.get("rule") or None, q.get("case") or None, q.get("status") or "held"
        items = self.store.held_list(rule, case, None if status == "all" else status)
        everything = self.store.held_list()
        return self.page(request, "held_list.html", user, items=items, rule=rule, case=case, status=status,
                         rules=sorted({r for i in everything for r in i["rules"]}),
                         cases=sorted({c for i in everything for c in i["cases"]}))

    def _held(self, request: Request) -> dict[str, Any] | None:
        return self.store.held_item(int(request.path_params["item"]))

    def _held_page(self, request: Request, user: User, item: dict[str, Any], http_status: int = 200,
                   error: str | None = None, done: str | None = None) -> Response:
        verdict = item["verdict"]
        per_recipient = {r.get("address"): r.get("decision") for r in verdict.get("recipients", [])}
        cited: dict[int, set[str]] = {}  # finding index -> the rules (above allow) whose reasons cite it
        for reason in verdict.get("reasons", []):
            if reason.get("action") != "allow":
                for i in reason.get("findings", []):
                    cited.setdefault(i, set()).add(str(reason.get("rule")))
        return self.page(request, "held_item.html", user, http_status=http_status, item=item, verdict=verdict,
                         per_recipient=per_recipient, cited={i: sorted(r) for i, r in cited.items()},
                         context=CONTEXT, error=error, done=done)

    async def held_item(self, request: Request, user: User) -> Response:
        item = self._held(request)
        if item is None:
            return PlainTextResponse("no such held message", status_code=404)
        self.record(user, "view-held", item=item["id"], ref=item["ref"])
        return self._held_page(request, user, item)

    def _checked_text(self, text: str, item: dict[str, Any], what: str, minimum: int) -> tuple[str, str | None]:
        text = text.strip()[:MAX_TEXT]
        if len(text) < minimum:
            return text, f"A {what} of at least {minimum} characters is required."
        if notices.quotes_a_value(text, item["verdict"], [item["sender"], *item["recipients"]]):
            return text, (f"The {what} quotes a value from the message: describe it instead (it goes into the "
                          "audit log, and a note goes to the sender).")
        return text, None

    async def release(self, request: Request, user: User) -> Response:
        item = self._held(request)
        if item is None:
            return PlainTextResponse("no such held message", status_code=404)
        form = await request.form()
        justification, error = self._checked_text(str(form.get("justification", "")), item, "justification",
                                                  MIN_JUSTIFICATION)
        chosen = [str(a) for a in form.getlist("recipient") if str(a) in item["recipients"]]
        if error is None and not chosen:
            error = "Choose at least one recipient to release it to."
        if error is None and item["status"] != "held":
            error = f"This message was already decided ({item['status']} by {item['decided_by']})."
        if error is not None:
            return self._held_page(request, user, item, http_status=400, error=error)
        kept_back = [a for a in item["recipients"] if a not in chosen]
        try:
            if kept_back:
                self._release_some(item, chosen)
            else:
                self.queue.release(item["ref"])
        except (QueueError, OSError) as e:
            log.error("held item %d: release failed (%s)", item["id"], type(e).__name__)
            return self._held_page(request, user, item, http_status=502, error=str(e))
        status = "partly-released" if kept_back else "released"
        self.store.decide_held(item["id"], status, user.name, justification, chosen)
        self.record(user, "release", item=item["id"], ref=item["ref"], justification=justification,
                    released_to=chosen, kept_back=kept_back, rules=item["rules"])
        self._tell(item, *notices.released_notice(item["ref"], chosen, kept_back))
        return self._held_page(request, user, self.store.held_item(item["id"]) or item, done="Released.")

    def _release_some(self, item: dict[str, Any], chosen: list[str]) -> None:
        """Send the held copy to the chosen recipients through the relay, then delete it from hold."""
        if self.relay is None:
            raise QueueError("releasing to some recipients needs a notice relay (--notice-relay)")
        import smtplib

        content = self.queue.content(item["ref"])
        with smtplib.SMTP(self.relay.host, self.relay.port, timeout=60) as smtp:
            smtp.sendmail(item["sender"], chosen, _crlf(content))
        self.queue.delete(item["ref"])

    async def return_to_sender(self, request: Request, user: User) -> Response:
        item = self._held(request)
        if item is None:
            return PlainTextResponse("no such held message", status_code=404)
        form = await request.form()
        note, error = self._checked_text(str(form.get("note", "")), item, "note to the sender", MIN_JUSTIFICATION)
        if error is None and item["status"] != "held":
            error = f"This message was already decided ({item['status']} by {item['decided_by']})."
        if error is not None:
            return self._held_page(request, user, item, http_status=400, error=error)
        try:
            self.queue.delete(item["ref"])
        except QueueError as e:
            return self._held_page(request, user, item, http_status=502, error=str(e))
        self.store.decide_held(item["id"], "returned", user.name, note)
        self.record(user, "return", item=item["id"], ref=item["ref"], justification=note, rules=item["rules"])
        own = [item["sender"], *item["recipients"]]
        self._tell(item, *notices.returned_notice(item["ref"], item["recipients"], item["rules"],
                                                  notices.places(item["verdict"], own), note, user.name))
        return self._held_page(request, user, self.store.held_item(item["id"]) or item, done="Returned to the sender.")

    def _tell(self, item: dict[str, Any], subject: str, body: str) -> None:
        if self.relay is None or not item["sender"]:
            return
        try:
            notices.send_notice(self.relay, item["sender"], subject, body, item["ref"])
        except Exception as e:  # the decision stands; the failure is logged without a value
            log.error("held item %d: the notice to the sender could not be sent (%s)", item["id"], type(e).__name__)

    # Sweeps ----------------------------------------------------------------------------

    async def sweeps(self, request: Request, user: User) -> Response:
        q = request.query_params
        folder_s = q.get("folder") or ""
        filters: dict[str, Any] = {"decision": q.get("decision") or None, "rule": q.get("rule") or None,
                   "case": q.get("case") or None, "folder": int(folder_s) if folder_s.isdigit() else None,
                   "mark": q.get("mark") or None}
        rows = self.store.findings(**filters)
        return self.page(request, "sweeps.html", user, rows=rows, filters=filters, choices=self.store.filter_values(),
                         folders=self.store.folders(), marks=MARKS)

    async def finding(self, request: Request, user: User) -> Response:
        row = self.store.finding(int(request.path_params["item"]))
        if row is None:
            return PlainTextResponse("no such finding", status_code=404)
        self.record(user, "view-finding", finding=row["id"])
        return self.page(request, "finding.html", user, f=row, marks=MARKS)

    async def mark(self, request: Request, user: User) -> Response:
        row = self.store.finding(int(request.path_params["item"]))
        if row is None:
            return PlainTextResponse("no such finding", status_code=404)
        form = await request.form()
        mark, note = str(form.get("mark", "")), str(form.get("note", "")).strip()[:MAX_TEXT]
        error = None
        if mark not in MARKS:
            error = "Choose true breach, false alarm or already known."
        elif row["text"] and notices.quotes_a_value(note, {"findings": [{"text": row["text"]}]}, []):
            error = "The note quotes the value: describe it instead (notes go into the audit log)."
        if error:
            return self.page(request, "finding.html", user, http_status=400, f=row, marks=MARKS, error=error)
        self.store.mark(row["id"], mark, note, user.name)
        self.record(user, "mark", finding=row["id"], mark=mark, note=note, rule=row["rule"],
                    entity_type=row["entity_type"])
        return RedirectResponse(f"/findings/{row['id']}", status_code=303)

    async def report_page(self, request: Request, user: User) -> Response:
        return self.page(request, "report.html", user, report=make_report(self.store), marks=MARKS)

    # Accounts --------------------------------------------------------------------------

    async def users(self, request: Request, user: User) -> Response:
        return self.page(request, "users.html", user, users=self.store.users())

    async def add_user(self, request: Request, user: User) -> Response:
        form = await request.form()
        name, role = str(form.get("name", "")).strip(), str(form.get("role", "reviewer"))
        try:
            auth.add_user(self.store, name, str(form.get("password", "")), role)
        except ValueError as e:
            return self.page(request, "users.html", user, http_status=400, users=self.store.users(), error=str(e))
        self.record(user, "add-user", account=name, account_role=role)
        return RedirectResponse("/users", status_code=303)


def _crlf(data: bytes) -> bytes:
    return b"\r\n".join(data.splitlines()) + b"\r\n"


def create_app(config: DeskConfig) -> ASGIApp:
    config.check()
    desk = Desk(config)
    s = desk.signed_in
    routes = [
        Route("/", lambda request: RedirectResponse("/held", status_code=303)),
        Route("/login", desk.login_form, methods=["GET"]),
        Route("/login", desk.login, methods=["POST"]),
        Route("/logout", desk.logout, methods=["POST"]),
        Route("/held", s()(desk.held_list)),
        Route("/held/{item:int}", s()(desk.held_item)),
        Route("/held/{item:int}/release", s()(desk.release), methods=["POST"]),
        Route("/held/{item:int}/return", s()(desk.return_to_sender), methods=["POST"]),
        Route("/sweeps", s()(desk.sweeps)),
        Route("/findings/{item:int}", s()(desk.finding)),
        Route("/findings/{item:int}/mark", s()(desk.mark), methods=["POST"]),
        Route("/report", s()(desk.report_page)),
        Route("/users", s(admin=True)(desk.users), methods=["GET"]),
        Route("/users", s(admin=True)(desk.add_user), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    secret = desk.store.secret("session")
    app = Starlette(routes=routes, middleware=[
        Middleware(SessionMiddleware, secret_key=secret, session_cookie="dg_desk_session",
                   max_age=int(config.session_hours * 3600), same_site="strict", https_only=config.tls),
    ])
    app.state.desk = desk
    protected = asgi_csrf(app, signing_secret=desk.store.secret("csrf"), cookie_secure=config.tls,
                          cookie_samesite="Strict", always_protect=_Everywhere(), cookie_name="dg_desk_csrf")
    return SecurityHeaders(protected, config.tls)

