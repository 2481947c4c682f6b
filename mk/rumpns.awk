# rumpns.awk: turn `nm -P` output of a kernel object into an objcopy
# --redefine-syms map that gives every global symbol the rumpns_ prefix,
# except the public API, the hypercalls, compiler/sanitizer runtime and
# linker-defined symbols.
function public(s) {
	return s ~ /^(rump_pub_|rump_sys_|rumpuser_|rumpclient_|rumpns_)/ ||
	    s ~ /^rump_(init|init_server|getversion|schedule|unschedule|syscall|boot_setsigmodel)$/
}
$2 ~ /^[A-Z]$/ && !public($1) && $1 !~ /^(_GLOBAL_OFFSET_TABLE_|__asan|__ubsan|__sanitizer|__sancov|__tsan|__msan|__lsan|__gcov|__llvm|__start_|__stop_|__dso_handle)/ {
	print $1, "rumpns_" $1
}
