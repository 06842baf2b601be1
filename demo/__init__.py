"""The demo world and the synthetic data generators, apart from the product apps.

`manage.py load_demo` loads the world of the founding circular (`world.py` runs one module
per domain, in dependency order) and, when asked, tops it up with generated organisations,
people and commissions (`synthetic/`). The product apps never import this app: `bin/start`
calls the command by name.
"""
