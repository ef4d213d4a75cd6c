"""Evaluation jobs for the API and the UI: an uploaded question set is checked at once (a bad row
is a 422 naming row and column), then answered case by case on one background thread, with
progress, a time limit and a bounded number of jobs kept. Results are the same EvalRun the CLI
writes: the HTML report and the JSON with each case."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

from assistant.errors import InvalidInput, NotFound, RegassistError
from assistant.evals.report import EvalRun, render_html
from assistant.evals.run import Report, run_case
from assistant.evals.sheets import read_rows, to_cases

MAX_ROWS = 500        # cases per job (the CLI takes more)
TIME_LIMIT = 600.0    # seconds a job may run; then it stops with the cases done so far
KEEP = 20             # finished jobs kept (oldest dropped)
MAX_WAITING = 3       # jobs queued behind the running one; more is "busy"


class Busy(RegassistError):
    """Too many evaluation jobs waiting."""


@dataclass
class Job:
    id: str
    name: str
    total: int
    status: str = "queued"          # queued | running | done | failed | timeout
    done: int = 0
    error: str | None = None
    run: EvalRun | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None    # monotonic time it began running (waiting in the queue is not its time)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "timeout")

    def to_json(self) -> dict:
        out = {"job": self.id, "name": self.name, "status": self.status, "done": self.done, "total": self.total}
        if self.error:
            out["error"] = self.error
        if self.run is not None:
            out["metrics"] = self.run.report.metrics()
            out["report"] = f"/api/eval/{self.id}/report.html"
            out["results"] = f"/api/eval/{self.id}/report.json"
        return out

    def html(self) -> str:
        if self.run is None:
            raise InvalidInput(self.not_ready())
        return render_html(self.run)

    def not_ready(self) -> str:
        """Why there is no report to give (yet)."""
        if self.finished:
            return f"评测任务没有生成报告：{self.error}"
        return f"评测任务尚未完成（{self.status}，{self.done}/{self.total}），完成后再取"


class EvalJobs:
    """Jobs of one server process; `assistant()` gives the assistant serving now (a reload between
    jobs is picked up)."""

    def __init__(self, assistant: Callable[[], object], time_limit: float = TIME_LIMIT, max_rows: int = MAX_ROWS):
        self._assistant = assistant
        self.time_limit, self.max_rows = time_limit, max_rows
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._turn = threading.Lock()  # one job answers at a time: the server keeps serving questions

    def submit(self, data: bytes, name: str) -> Job:
        """Read and check the set now (InvalidInput on a bad file or row), then run it in the background."""
        assistant = self._assistant()
        cases = to_cases(read_rows(data, name), assistant)
        if not cases:
            raise InvalidInput("评测集中没有用例：第一行为表头，从第二行起每行一个问题")
        if len(cases) > self.max_rows:
            raise InvalidInput(f"评测集有 {len(cases)} 个用例，网页/接口一次最多 {self.max_rows} 个：请拆分，或用命令行 regassist eval")
        with self._lock:
            waiting = sum(j.status == "queued" for j in self._jobs.values())
            if waiting >= MAX_WAITING:
                raise Busy(f"已有 {waiting} 个评测任务在排队，请稍后再提交")
            job = Job(uuid.uuid4().hex, name, len(cases))
            self._jobs[job.id] = job
            self._prune()
        threading.Thread(target=self._run, args=(job, assistant, cases), name=f"eval-{job.id[:8]}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"没有编号为 {job_id[:40]} 的评测任务（只保留最近 {KEEP} 个）")
        return job

    def _prune(self) -> None:
        finished = sorted((j for j in self._jobs.values() if j.finished), key=lambda j: j.created)
        for job in finished[: max(0, len(self._jobs) - KEEP)]:
            del self._jobs[job.id]

    def _run(self, job: Job, assistant, cases) -> None:
        with self._turn:
            job.started = time.monotonic()
            job.status = "running"
            report = Report(name="default")
            deadline = job.started + self.time_limit
            status, error = "done", None
            try:
                for case in cases:
                    if time.monotonic() > deadline:
                        status = "timeout"
                        error = f"超过 {self.time_limit:g} 秒的时限，已完成 {job.done}/{job.total} 个用例；报告只含已完成的部分"
                        break
                    report.results.append(run_case(assistant, case))
                    job.done += 1
            except Exception as exc:  # a job's failure is its own, never the server's
                status = "failed"
                error = f"第 {job.done + 1} 个用例评测出错（{type(exc).__name__}：{exc}）；报告只含之前完成的部分"
            try:
                job.run = EvalRun(report, f"POST /api/eval（{job.name}）", cases_name=job.name,
                                  places={m.doc_id: m.city for m in assistant.corpus.catalog.docs})
            except Exception as exc:
                status, error = "failed", f"评测报告生成出错（{type(exc).__name__}：{exc}）"
            # The report (if any) is in place before the status says the job has finished.
            job.error, job.status = error, status
