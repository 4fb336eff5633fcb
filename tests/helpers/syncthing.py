"""Two real Syncthing instances on loopback, for the end-to-end sync test.

Each instance has its own home (keys, config, database) made by ``syncthing generate``; its
config is then rewritten before it first starts, so it never reaches for the network: global
and local discovery, relays, NAT traversal, usage and crash reporting off, the GUI/REST API on
``127.0.0.1`` with an API key of the test's, listening on ``tcp://127.0.0.1:PORT`` and knowing
its peer only by device id and that address. The REST calls (to these two instances only) live
here: journal-app itself opens no connection.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOLDER_ID = "journal-sync"
#: Generous: a loaded CI machine may take long; nothing is asserted about time.
DEADLINE_S = 180.0
OFF = {
    "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false", "relaysEnabled": "false",
    "natEnabled": "false", "urAccepted": "-1", "urSeen": "3", "crashReportingEnabled": "false",
    "startBrowser": "false", "autoUpgradeIntervalH": "0", "announceLANAddresses": "false",
    "reconnectionIntervalS": "1", "stunServer": "", "globalAnnounceServer": "",
}


def syncthing_binary() -> str | None:
    return shutil.which("syncthing")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _quiet_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ST")}
    env.update(STNODEFAULTFOLDER="1", STNOUPGRADE="1", STNORESTART="1", HOME=str(home))
    return env


@dataclass
class Instance:
    name: str
    home: Path
    folder: Path
    gui_port: int
    listen_port: int
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    device_id: str = ""
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.listen_port}"

    def generate(self) -> None:
        out = subprocess.run(
            [syncthing_binary() or "syncthing", "generate", "--home", str(self.home),
             "--no-default-folder", "--skip-port-probing"],
            capture_output=True, text=True, env=_quiet_env(self.home), check=True, timeout=120)
        found = re.search(r"Device ID:\s*([A-Z0-9-]{63})", out.stdout + out.stderr)
        assert found, "syncthing generate printed no device id"
        self.device_id = found.group(1)

    def configure(self, peer: Instance) -> None:
        """Rewrite config.xml: loopback only, no discovery, one folder shared with ``peer``."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        gui = root.find("gui")
        assert gui is not None
        gui.find("address").text = f"127.0.0.1:{self.gui_port}"  # type: ignore[union-attr]
        gui.find("apikey").text = self.api_key  # type: ignore[union-attr]
        options = root.find("options")
        assert options is not None
        for listen in options.findall("listenAddress"):
            options.remove(listen)
        ET.SubElement(options, "listenAddress").text = self.address
        for key, value in OFF.items():
            for node in options.findall(key):
                options.remove(node)
            ET.SubElement(options, key).text = value
        for device in root.findall("device"):
            if device.get("id") == self.device_id:
                device.set("name", self.name)
                device.find("address").text = self.address  # type: ignore[union-attr]
        other = ET.SubElement(root, "device", id=peer.device_id, name=peer.name,
                              compression="metadata", introducer="false")
        ET.SubElement(other, "address").text = peer.address
        ET.SubElement(other, "autoAcceptFolders").text = "false"
        folder = ET.SubElement(
            root, "folder", id=FOLDER_ID, label="journal", path=str(self.folder),
            type="sendreceive", rescanIntervalS="2", fsWatcherEnabled="true",
            fsWatcherDelayS="1", ignorePerms="false", autoNormalize="true")
        ET.SubElement(folder, "filesystemType").text = "basic"
        for device_id in (self.device_id, peer.device_id):
            ET.SubElement(folder, "device", id=device_id, introducedBy="")
        ET.SubElement(folder, "minDiskFree", unit="%").text = "0"
        tree.write(path)

    def start(self, log: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".stfolder").mkdir(exist_ok=True)
        with log.open("ab") as sink:
            self.process = subprocess.Popen(
                [syncthing_binary() or "syncthing", "serve", "--home", str(self.home),
                 "--no-browser", "--no-restart", "--no-upgrade"],
                stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=_quiet_env(self.home), start_new_session=True)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def rest(self, method: str, path: str) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}", method=method,
            headers={"X-API-Key": self.api_key})
        with urllib.request.urlopen(request, timeout=30) as response:  # loopback only
            body = response.read()
        return json.loads(body) if body.strip() else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def wait_for(what: str, check: Callable[[], bool], instances: list[Instance],
             deadline_s: float = DEADLINE_S) -> None:
    """Poll ``check`` until true; fail (with what was awaited) if an instance died or the
    generous deadline passed."""
    end = time.monotonic() + deadline_s
    while True:
        dead = [i.name for i in instances if not i.alive()]
        assert not dead, f"syncthing {dead} stopped while waiting for {what}"
        try:
            if check():
                return
        except OSError:
            pass  # the REST API is not up yet
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(0.5)


SERVICE_NAMES = re.compile(r"^(\.stfolder|\.stignore|\.syncthing\..*\.tmp|~syncthing~.*\.tmp)$")


def listing(folder: Path) -> dict[str, bytes]:
    """The journal's files in a sync folder (the service's own left out)."""
    out: dict[str, bytes] = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(SERVICE_NAMES.match(part) for part in rel.parts) or not path.is_file():
            continue
        try:
            out[str(rel)] = path.read_bytes()
        except OSError:
            continue  # being replaced right now: the next poll sees it
    return out


@dataclass
class Pair:
    first: Instance
    second: Instance

    @property
    def both(self) -> list[Instance]:
        return [self.first, self.second]

    def start(self, logs: Path) -> None:
        for instance in self.both:
            instance.start(logs / f"{instance.name}-syncthing.log")
        wait_for("the two instances to connect", self.connected, self.both)

    def stop(self) -> None:
        """Stop both instances by their process ids."""
        for instance in self.both:
            instance.stop()

    def connected(self) -> bool:
        for me, peer in ((self.first, self.second), (self.second, self.first)):
            connections = me.rest("GET", "/rest/system/connections")["connections"]
            if not connections.get(peer.device_id, {}).get("connected"):
                return False
        return True

    def converge(self) -> None:
        """Ask both to scan, then wait until both folders hold the same files and each side
        reports the other's copy complete."""

        def same() -> bool:
            for instance in self.both:
                instance.rest("POST", f"/rest/db/scan?folder={FOLDER_ID}")
            if listing(self.first.folder) != listing(self.second.folder):
                return False
            for me, peer in ((self.first, self.second), (self.second, self.first)):
                done = me.rest("GET", f"/rest/db/completion?folder={FOLDER_ID}"
                                      f"&device={peer.device_id}")
                if done.get("completion") != 100 or done.get("needItems", 0):
                    return False
            return listing(self.first.folder) == listing(self.second.folder)

        wait_for("the two sync folders to match", same, self.both)


def make_pair(root: Path) -> Pair:
    """Two configured instances, not started yet (``Pair.start``; ``Pair.stop`` always)."""
    first = Instance("laptop", root / "st-laptop", root / "laptop-sync", free_port(),
                     free_port())
    second = Instance("desktop", root / "st-desktop", root / "desktop-sync", free_port(),
                      free_port())
    for instance in (first, second):
        instance.generate()
    first.configure(second)
    second.configure(first)
    return Pair(first, second)
