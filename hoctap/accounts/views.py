from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from hoctap.accounts.forms import LoginForm
from hoctap.accounts.services import login_failure_record, login_is_locked, login_success_record


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        username = request.POST.get("username", "")
        ip = client_ip(request)
        minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
        if login_is_locked(username=username, ip=ip):
            form = LoginForm(request)
            messages.error(
                request,
                "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. "
                f"Vui lòng thử lại sau {minutes} phút.",
            )
            return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=429)
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            login_success_record(user=user, ip=ip)
            safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
            return HttpResponseRedirect(next_url if next_url and safe else "/")
        login_failure_record(username=username, ip=ip)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "Bạn đã đăng xuất.")
    return redirect("accounts:login")
