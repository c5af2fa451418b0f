"""Review of past sessions: progress figures, weak areas, the hiring packet and its metrics.

UI-free: the CLI prints these models and the TUI renders them. Import from the submodules
(``compute``, ``weak_areas``, ``packet``, ``communication``, ``models``).
"""
