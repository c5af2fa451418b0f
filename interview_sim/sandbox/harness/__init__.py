"""The code that runs inside a sandbox process, around the candidate's (or the bank's) code.

Every module here imports only the standard library: the sandbox process starts under
``python -I -S`` with this package alone on ``sys.path``, so importing ``interview_sim`` (and
its dependencies) there would cost start-up time and widen what the candidate can reach.
"""
