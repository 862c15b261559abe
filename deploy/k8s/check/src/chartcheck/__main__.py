from chartcheck.cli import main

raise SystemExit(main())
