"""The quiz: questions that teach, asked only once the facts they need are on screen.

Each step offers a bank of questions answerable from what the walk has
shown so far plus the facts printed with the question (the hosts' numbers
before "which host wins", what a host passed before "which filter removes
it"); a seeded draw picks among the optional ones, so a class gets other
questions with another ``--seed``. The reveal gives the deciding fact. When
the walk ends, the scenario in play asks what the user sees and which exit
code comes back, and a review lists every answer.
"""

from __future__ import annotations

import random
from dataclasses import replace

from bootwalk.records import dataclass
from bootwalk.trace import Channel, Kind, Outcome, Service, StepRecord, StepStatus, Trace, weight_text

#: The task_states a build goes through, as nova names them.
TASK_STATES = ("scheduling", "None", "networking", "block_device_mapping", "spawning")
#: The services a question may name: every one but the client.
SERVICES = tuple(service.value for service in Service if service is not Service.CLIENT)


@dataclass(frozen=True)
class Question:
    """A multiple-choice question the trace answers, what to show before it, and the deciding fact."""

    text: str
    choices: tuple[str, ...]
    answer: str
    reason: str
    #: What the class must see before it can answer (printed with the question; may be empty).
    facts: str = ""


@dataclass(frozen=True)
class Answered:
    """A question with the answer given (None for none): one row of the review and of ``--quiz-results``."""

    question: Question
    given: str | None

    @property
    def right(self) -> bool:
        """Whether the answer given is the right one."""
        return self.given == self.question.answer


def _choices(correct: str, pool: list[str], rng: random.Random, count: int = 4) -> tuple[str, ...]:
    others = [option for option in dict.fromkeys(pool) if option != correct]
    picked = [*rng.sample(others, min(count - 1, len(others))), correct]
    rng.shuffle(picked)
    return tuple(picked)


def _free(record: StepRecord) -> str:
    """The hosts left after the filters, each with what the weighers weigh: the facts before "which host wins"."""
    assert record.scheduling is not None
    lines = []
    for weight in record.scheduling.weights:
        raw = ", ".join(f"{part.raw:g} {part.unit}" for part in weight.parts)
        lines.append(f"  {weight.host}: {raw}")
    weighers = ", ".join(
        f"{part.weigher} × {weight_text(part.multiplier)}" for part in record.scheduling.weights[0].parts
    )
    return "The hosts left after the filters, as the weighers see them (" + weighers + "):\n" + "\n".join(lines)


def _deciding(record: StepRecord) -> str:
    """Why the winner wins, in its numbers: ``compute1: the most free RAM (12288 MB RAM free), weight 1.0``."""
    assert record.scheduling is not None
    return f"{record.scheduling.selected_host}: {record.scheduling.why_the_winner()}."


def bank(record: StepRecord, previous: StepRecord | None) -> tuple[list[Question], list[Question]]:
    """This step's questions: the ones always asked, and the ones a seeded draw may ask."""
    always: list[Question] = []
    optional: list[Question] = []
    scheduling = record.scheduling
    if scheduling is not None:
        removed = [v for v in scheduling.filter_results if not v.passed]
        if removed:
            verdict = removed[0]
            passed = [v.filter for v in scheduling.filter_results if v.host == verdict.host and v.passed]
            facts = f"{verdict.host} " + (f"passed {', '.join(passed)}; then: " if passed else "first: ")
            always.append(
                Question(
                    f"Which filter removes {verdict.host}?",
                    scheduling.filters,  # the pool the choices are drawn from when asked
                    verdict.filter,
                    f"{verdict.filter}: {verdict.reason}.",
                    facts + verdict.reason + ".",
                )
            )
        if scheduling.weights and scheduling.selected_host is not None:
            always.append(
                Question(
                    "Which host wins the scheduling?",
                    (*dict.fromkeys(v.host for v in scheduling.filter_results), "none"),
                    scheduling.selected_host,
                    _deciding(record),
                    _free(record),
                )
            )
    after_the_token = previous is not None and previous.service is Service.KEYSTONE
    if after_the_token and record.service is not Service.KEYSTONE and record.attempt == 1:
        always.append(
            Question(
                "The client has its token. Which service does it call next?",
                SERVICES,
                record.service.value,
                record.title + ".",
            )
        )
    if record.service in (Service.NEUTRON, Service.HYPERVISOR) and record.state is not None and previous is not None:
        optional.append(
            Question(
                f"After step {record.number} ({record.service.value}), which task_state does the instance have?",
                TASK_STATES,
                str(record.state.task_state),
                f"The state after step {record.number} is {record.state.describe()}.",
            )
        )
    if record.service is Service.HYPERVISOR and record.passed:
        during = record.passed[-1]
        optional.append(
            Question(
                f"While the hypervisor starts the guest (step {record.number}), which task_state does the "
                "instance have?",
                TASK_STATES,
                str(during.task_state),
                f"nova-compute saves task_state {during.task_state} before the driver's spawn; the state after "
                f"step {record.number} is {record.state.describe() if record.state else 'unknown'}.",
            )
        )
    casts = [h for h in record.handoffs if h.kind in (Kind.RPC_CAST, Kind.RPC_CALL)]
    if casts:
        handoff = casts[0]
        waits = "it waits for the answer" if handoff.kind is Kind.RPC_CALL else "it does not wait"
        optional.append(
            Question(
                f"{handoff.source.value} sends {handoff.call} to {handoff.target.value}: cast or call?",
                ("cast", "call"),
                "call" if handoff.kind is Kind.RPC_CALL else "cast",
                f"An RPC {'call' if handoff.kind is Kind.RPC_CALL else 'cast'}: {waits}.",
            )
        )
    other = [h for h in record.handoffs if h.channel not in (Channel.RPC_CAST, Channel.RPC_CALL)]
    if other:  # every step with a handoff has a question: over what does it travel?
        handoff = other[0]
        optional.append(
            Question(
                f"{handoff.source.value} sends {handoff.call} to {handoff.target.value}: over which channel?",
                tuple(channel.value for channel in Channel),
                handoff.channel.value,
                f"{handoff.channel.value}: {handoff.source.value} → {handoff.target.value}, {handoff.call}.",
            )
        )
    if record.status is StepStatus.SKIPPED:  # and a skipped step: is it needed here?
        optional.append(
            Question(
                f"Step {record.number}: {record.title}. Does this walk need it?",
                ("yes", "no"),
                "no",
                record.detail or f"Step {record.number} is skipped in this walk.",
            )
        )
    return always, optional


def questions_for(record: StepRecord, previous: StepRecord | None, rng: random.Random) -> list[Question]:
    """The questions asked before revealing a step: the ones it always asks, and a seeded draw of the others."""
    always, optional = bank(record, previous)
    # One of the step's other questions, drawn by the seed, about two steps in three: enough for a class.
    chosen = [*always, *([rng.choice(optional)] if optional and rng.random() < 0.67 else [])]
    # In the bank a question's choices are the pool the seed draws the choices shown from.
    return [replace(question, choices=_choices(question.answer, list(question.choices), rng)) for question in chosen]


def closing_questions(trace: Trace, rng: random.Random) -> list[Question]:
    """Once the walk has ended: what the user sees, and which exit code bootwalk ends with."""
    from bootwalk.dialects import dialect_named

    dialect = dialect_named(trace.request.get("dialect"))
    if trace.outcome is Outcome.DELETED:
        return _closing_delete(trace, rng)
    refused = trace.error is not None and trace.error.http_status is not None
    faulted = trace.error is not None and not refused
    sees = {
        "refused": f"{dialect.command} prints the error and exits 1",
        "fault": f"{dialect.command} answered 202; the fault shows only in {dialect.show_command}",
        "nothing": "the server is ACTIVE; nothing says a host failed",
    }
    answer = sees["refused"] if refused else sees["fault"] if faulted else sees["nothing"]
    code = "0" if trace.outcome is Outcome.ACTIVE else "1"
    return [
        Question(
            "The walk has ended. What does the user see?",
            _choices(answer, list(sees.values()), rng),
            answer,
            trace.surfaces or "The server is ACTIVE, and the user sees it so.",
        ),
        Question(
            "Which exit code does bootwalk end with?",
            _choices(code, ["0", "1", "2", "130"], rng),
            code,
            "0: the server ended ACTIVE." if code == "0" else "1: the walk ended in ERROR.",
        ),
    ]


def _closing_delete(trace: Trace, rng: random.Random) -> list[Question]:
    """Once a delete has ended: when the client got its answer, and the exit code."""
    answers = {
        "cast": "at step 2: nova-api answered 204 before the host did anything",
        "local": "at step 2: nova-api answered 204 once it had deleted the server itself",
        "guest": "once libvirt had destroyed the guest",
    }
    local = len(trace.steps) > 2 and trace.steps[2].status is StepStatus.SKIPPED  # no host: nova-api did it all
    answer = answers["local" if local else "cast"]
    why = (
        "No host had the server, so nova-api deleted it itself and then answered 204."
        if local
        else "nova-api answers 204 once it has cast terminate_instance; the host deletes the server afterwards, "
        "and the server shows task_state deleting until then."
    )
    return [
        Question("When did the client get its answer?", _choices(answer, list(answers.values()), rng), answer, why),
        Question(
            "Which exit code does bootwalk end with?",
            _choices("0", ["0", "1", "2", "130"], rng),
            "0",
            "0: the server was deleted.",
        ),
    ]
