from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from hoctap.core.commands import JsonCommand
from hoctap.core.demo import SCALES, demo_setup


class Command(JsonCommand):
    help = (
        "Tạo cơ sở dữ liệu, nạp đơn vị hành chính và dữ liệu mẫu (chạy lại an toàn), in các tài khoản "
        "dùng thử rồi chạy máy chủ tại 127.0.0.1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small", help="Quy mô dữ liệu mẫu.")
        parser.add_argument("--port", type=int, default=8000, help="Cổng máy chủ (mặc định 8000).")
        parser.add_argument(
            "--no-serve", action="store_true", help="Chỉ chuẩn bị dữ liệu, không chạy máy chủ."
        )
        self.add_json_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["port"] <= 65535:
            raise CommandError("--port phải nằm trong khoảng 1-65535.")
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        summary = demo_setup(scale=options["scale"])
        summary["seconds"] = round(time.perf_counter() - started, 1)
        url = f"http://127.0.0.1:{options['port']}/"
        summary["url"] = url
        lines = [
            f"Dữ liệu mẫu đã sẵn sàng ({summary['seconds']} giây). Địa chỉ: {url}",
            "Tài khoản dùng thử:",
        ]
        lines += [f"  {u['username']:<16} {u['password']}   {u['role']}" for u in summary["users"]]
        self.emit(summary, as_json=options["json"], summary="\n".join(lines))
        if not options["no_serve"]:
            self.stdout.flush()
            worker = _start_task_worker()
            signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so that the worker is stopped too
            try:
                call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=10)


def _start_task_worker() -> subprocess.Popen[bytes]:
    """The background task worker (large imports and exports) beside the demo server, stopped with it."""
    command = [sys.executable, "-m", "hoctap", "db_worker", "--no-reload", "--interval", "1", "-v", "0"]
    return subprocess.Popen(command)


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)
