from newsforge.cli import main

raise SystemExit(main())
