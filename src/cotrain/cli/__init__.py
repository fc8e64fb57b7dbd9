"""The command line. Importing it sets what every command's start-up shares."""

import os

# pydantic reads every installed package's metadata for third-party plugins when it builds its
# first model: 50 ms of each command's start-up, for plugins cotrain never uses (issue 16,
# import + check of 10,000 applications under a second). A value set by the user is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
