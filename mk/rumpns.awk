# rumpns.awk: turn `nm -P` output of a kernel object into an objcopy
# --redefine-syms map that gives every global symbol the rumpns_ prefix,
# except the public API (rump*), compiler/sanitizer runtime and the GOT.
$2 ~ /^[A-Z]$/ && $1 !~ /^(rump|_GLOBAL_OFFSET_TABLE_|__asan|__ubsan|__sanitizer|__tsan|__msan|__lsan|__gcov|__llvm|__start_|__stop_|__dso_handle)/ {
	print $1, "rumpns_" $1
}
