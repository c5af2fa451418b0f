"""A classic BPF seccomp filter: no new processes, no sockets but AF_UNIX, no namespace tricks.

Used twice. Under bubblewrap the parent hands the compiled program to ``bwrap --seccomp``, which
loads it just before it starts the interpreter (so ``execve`` must stay allowed there: bwrap's
own exec of Python comes after the filter). In the fallback level the child loads it itself
through ``prctl``, and there ``execve`` is refused as well.
"""

from __future__ import annotations

import struct

_GENERIC = (424, 425, 426, 427, 428, 429, 430, 431, 432, 433, 434, 438, 440, 442)
"""Numbered alike on both: pidfd_send_signal and pidfd_open (no audit event, so the fallback's
hook cannot see them signal the app), io_uring_setup/enter/register (its requests skip this
filter, so it could open the sockets refused here), open_tree, move_mount, fsopen, fsconfig,
fsmount, fspick, pidfd_getfd (another process's descriptors), process_madvise,
mount_setattr."""

# machine: (AUDIT_ARCH, clone, clone3, socket, exec syscalls, always-denied syscalls)
_ARCH: dict[str, tuple[int, int, int, int, tuple[int, ...], tuple[int, ...]]] = {
    "x86_64": (
        0xC000003E,
        56,
        435,
        41,
        (59, 322),  # execve, execveat
        # fork, vfork, ptrace, mount, umount2, pivot_root, unshare, setns, keyctl, bpf,
        # perf_event_open, userfaultfd, process_vm_readv/writev, kexec_load
        # add_key, request_key, name_to_handle_at, open_by_handle_at, kcmp, memfd_create
        # (its pages are outside RLIMIT_AS: 60 of them held about 1 GB)
        (
            *(57, 58, 101, 165, 166, 155, 272, 308, 250, 321, 298, 323, 310, 311, 246),
            *(248, 249, 303, 304, 312, 319, *_GENERIC),
        ),
    ),
    "aarch64": (
        0xC00000B7,
        220,
        435,
        198,
        (221, 281),
        (
            *(117, 40, 39, 41, 97, 268, 219, 280, 241, 282, 270, 271, 104),
            *(217, 218, 264, 265, 272, 279, *_GENERIC),
        ),
    ),
}
Instruction = tuple[int, int, int, int]


_PRCTL = {"x86_64": 157, "aarch64": 167}
_MKNOD = {"x86_64": (133, 259), "aarch64": (33,)}
"""mknod and mknodat: FIFOs and nodes raise no audit event, so the fallback refuses them here."""
_SCHED = {"x86_64": (141, 142, 144, 203, 251, 314), "aarch64": (140, 118, 119, 122, 30, 274)}
"""setpriority, sched_setparam, sched_setscheduler, sched_setaffinity, ioprio_set and
sched_setattr: no audit event shows them, and as root the fallback's candidate took real-time
priority (a busy loop then starves the machine) and reniced any process, the app's included."""
_OWNER = {"x86_64": (72, 16), "aarch64": (25, 29)}
"""fcntl and ioctl: with F_SETOWN and F_SETSIG (or FIOSETOWN, SIOCSPGRP) the kernel signals
another process when a descriptor is ready, so a pipe the candidate wrote to sent the app
SIGKILL; TIOCSTI types into a terminal. The fallback refuses those commands."""
_FCNTL_OWNER = (8, 10, 15)  # F_SETOWN, F_SETSIG, F_SETOWN_EX
_IOCTL_OWNER = (0x8901, 0x8902, 0x5412)  # FIOSETOWN, SIOCSPGRP, TIOCSTI
_SIGNALS = {"x86_64": (62, 234, (200, 129, 297)), "aarch64": (129, 131, (130, 138, 240))}
"""kill, tgkill, and the ones refused outright: tkill, rt_sigqueueinfo, rt_tgsigqueueinfo."""


def program(
    machine: str, *, allow_exec: bool, own_pid: int | None = None
) -> list[Instruction] | None:
    """The filter for ``machine``, or None for an architecture it does not know.

    Threads stay allowed (``clone`` with CLONE_THREAD); ``clone3`` answers ENOSYS so the C
    library falls back to ``clone``, whose flags the filter can inspect. With ``own_pid`` (the
    fallback level, where other processes of the user are in reach) signals may only go to
    that process: ``kill`` to itself or its own group (its own session), ``tgkill`` within it,
    so even code that switched the audit hook off cannot signal the app, and ``mknod`` is
    refused (FIFOs anywhere: no audit event shows them to the hook), as are priority and
    scheduling changes (``_SCHED``). At both levels
    ``prctl(PR_SET_PDEATHSIG)`` is refused: the parent-death signal set before the filter
    (by bwrap, or by the fallback's harness) stays, so the sandbox dies with the app even when
    the app is killed outright.
    """
    if machine not in _ARCH:
        return None
    arch, clone, clone3, socket_nr, exec_calls, always = _ARCH[machine]
    signals = _SIGNALS[machine] if own_pid is not None else None
    denied = (*always, *(() if allow_exec else exec_calls), *(signals[2] if signals else ()))
    if own_pid is not None:
        denied = (*denied, *_MKNOD[machine], *_SCHED[machine])
    load, jeq, jset, jge, ret = 0x20, 0x15, 0x45, 0x35, 0x06
    allow, errno = 0x7FFF0000, 0x00050000
    eperm, eacces, enosys = 1, 13, 38
    routes = [
        (clone3, "nosys"),
        (clone, "clone"),
        (socket_nr, "socket"),
        (_PRCTL[machine], "prctl"),
    ]
    if signals is not None:
        routes += [(signals[0], "kill"), (signals[1], "tgkill")]
        routes += [(_OWNER[machine][0], "fcntl"), (_OWNER[machine][1], "ioctl")]
    routes += [(nr, "deny") for nr in denied]
    blocks: dict[str, list[Instruction]] = {
        "allow": [(ret, 0, 0, allow)],  # first: the routes fall through to it
        "deny": [(ret, 0, 0, errno | eperm)],
        "nosys": [(ret, 0, 0, errno | enosys)],
        "clone": [
            (load, 0, 0, 16),  # low word of args[0], the flags
            (jset, 1, 0, 0x00010000),  # CLONE_THREAD
            (ret, 0, 0, errno | eperm),
            (ret, 0, 0, allow),
        ],
        "socket": [
            (load, 0, 0, 16),  # the address family
            (jeq, 1, 0, 1),  # AF_UNIX
            (ret, 0, 0, errno | eacces),
            (ret, 0, 0, allow),
        ],
        "prctl": [
            (load, 0, 0, 16),  # the option
            (jeq, 0, 1, 1),  # PR_SET_PDEATHSIG
            (ret, 0, 0, errno | eperm),
            (ret, 0, 0, allow),
        ],
    }
    if own_pid is not None:
        blocks["kill"] = [
            (load, 0, 0, 16),  # the pid (an int: the low word is all of it)
            (jeq, 2, 0, own_pid),
            (jeq, 1, 0, 0),  # its own process group, which is its own session
            (ret, 0, 0, errno | eperm),
            (ret, 0, 0, allow),
        ]
        blocks["tgkill"] = [
            (load, 0, 0, 16),  # the thread group
            (jeq, 0, 1, own_pid),
            (ret, 0, 0, allow),
            (ret, 0, 0, errno | eperm),
        ]
        for name, commands in (("fcntl", _FCNTL_OWNER), ("ioctl", _IOCTL_OWNER)):
            count = len(commands)
            blocks[name] = [
                (load, 0, 0, 24),  # low word of args[1], the command
                *[(jeq, count - i, 0, command) for i, command in enumerate(commands)],
                (ret, 0, 0, allow),
                (ret, 0, 0, errno | eperm),
            ]
    at: dict[str, int] = {}
    position = 4 + len(routes)
    for name, block in blocks.items():
        at[name] = position
        position += len(block)

    def jump(pos: int, target: int) -> int:
        offset = target - pos - 1  # classic BPF jumps only forward, counted from the next one
        assert 0 <= offset < 256, "a seccomp jump longer than one byte"
        return offset

    code: list[Instruction] = [
        (load, 0, 0, 4),  # 0: seccomp_data.arch
        (jeq, 0, jump(1, at["allow"]), arch),
        (load, 0, 0, 0),  # 2: seccomp_data.nr
        (jge, jump(3, at["deny"]), 0, 0x40000000),  # x32 ABI numbers
    ]
    code += [(jeq, jump(4 + i, at[label]), 0, nr) for i, (nr, label) in enumerate(routes)]
    for block in blocks.values():
        code += block
    return code


def compiled(code: list[Instruction]) -> bytes:
    """The program as ``struct sock_filter`` records, the format ``bwrap --seccomp`` reads."""
    return b"".join(struct.pack("=HBBI", *ins) for ins in code)
