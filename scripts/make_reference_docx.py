"""Write templates/docx/reference.docx from templates/docx/styles.toml: `make reference-docx`.

The builder lives beside the DOCX renderer it serves, in pipeline/renderers/docx/reference.py
(`python -m pipeline.renderers.docx.reference --help`).
"""

import sys

from pipeline.renderers.docx.reference import main

if __name__ == "__main__":
    sys.exit(main())
