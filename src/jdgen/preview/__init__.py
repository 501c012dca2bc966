"""The live preview's state and what it shows: each directive as it will be signed, the
problems with their source lines, the changes on the pages; its checker process, its guard at the
door, the files it follows, and its pages (HTML, CSS, JS).

Imports the project, authoring and everything under them; the web server is `cli.commands.serve`.
"""
