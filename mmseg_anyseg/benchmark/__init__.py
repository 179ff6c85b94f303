"""The anymodal benchmark: a harness that runs a spec with the stock tools, and its leaderboard."""
from .harness import DEFAULT_WORK_ROOT, Run, SpecError, execute, load_spec, plan
from .leaderboard import (collect, leaderboard_markdown, reproduction_markdown,
                          write_leaderboard)
from .quotes import QuoteError, refresh_pages

__all__ = ['DEFAULT_WORK_ROOT', 'Run', 'SpecError', 'execute', 'load_spec', 'plan', 'collect',
           'leaderboard_markdown', 'write_leaderboard', 'reproduction_markdown', 'QuoteError',
           'refresh_pages']
