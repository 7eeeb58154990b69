#!/usr/bin/env python3
"""Lets libLibTorchSharp.so load on systems whose libstdc++ predates GCC 13.

TorchSharp's native shim records a dependency on GLIBCXX_3.4.32 only for one link-anchor symbol
(_ZSt21ios_base_library_initv) that is never called. Marking that version requirement weak
(VER_FLG_WEAK in its Vernaux entry of .gnu.version_r) lets the dynamic loader accept the library.
Idempotent; does nothing when the system libstdc++ already provides the version.
Usage: mark-glibcxx-weak.py <folder-or-file> [...]
"""
import os
import struct
import subprocess
import sys

VERSION = b"GLIBCXX_3.4.32"
VER_FLG_WEAK = 0x2


def system_has_version() -> bool:
    for candidate in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6"):
        if os.path.exists(candidate):
            with open(candidate, "rb") as f:
                return VERSION + b"\0" in f.read()
    return False


def patch(path: str) -> str:
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            return "not a 64-bit little-endian ELF file"
        e_shoff, = struct.unpack_from("<Q", data, 0x28)
        e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
        SHT_GNU_VERNEED = 0x6FFFFFFE
        changed = 0
        for sh_name, sh_type, _, _, sh_offset, sh_size, sh_link, sh_info, _, _ in sections:
            if sh_type != SHT_GNU_VERNEED:
                continue
            strtab_offset = sections[sh_link][4]
            need = sh_offset
            for _ in range(sh_info):
                vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, need)
                aux = need + vn_aux
                for _ in range(vn_cnt):
                    vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                    end = data.index(b"\0", strtab_offset + vna_name)
                    if bytes(data[strtab_offset + vna_name:end]) == VERSION and not vna_flags & VER_FLG_WEAK:
                        struct.pack_into("<H", data, aux + 4, vna_flags | VER_FLG_WEAK)
                        changed += 1
                    aux += vna_next
                    if vna_next == 0:
                        break
                need += vn_next
                if vn_next == 0:
                    break
        if changed:
            f.seek(0)
            f.write(data)
            return f"marked {changed} requirement(s) weak"
        return "already patched or no such requirement"


def main() -> int:
    if system_has_version():
        return 0
    for target in sys.argv[1:]:
        files = [target] if os.path.isfile(target) else [
            os.path.join(root, name) for root, _, names in os.walk(target) for name in names if name == "libLibTorchSharp.so"]
        for path in files:
            print(f"{path}: {patch(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
