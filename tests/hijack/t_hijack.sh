# t_hijack.sh: unmodified Debian programs (coreutils, findutils, tar,
# bash, dash, python3) run under librumphijack against a rump_server,
# each checked against the same work done on the host.

bin=$BUILD/bin
lib=$BUILD/lib/librumphijack.so.0
hj="env LD_PRELOAD=$lib"	# run a program with the library preloaded

# A library built with a sanitizer cannot be preloaded into the
# uninstrumented programs of the host.
require_plain() {
	ldd "$lib" | grep -q 'libasan\|libubsan\|libtsan' &&
	    atf_skip "librumphijack is built with a sanitizer"
	return 0
}

# Start a foreground server on ./sock (pid in ./server.pid) and export
# RUMP_SERVER; populate ./src on the host.
start_server() {
	require_plain
	"$bin/rump_server" -sv "unix://$PWD/sock" 2>server.err &
	echo $! > server.pid
	i=0
	while ! grep -q "serving at" server.err && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	grep -q "serving at" server.err || atf_fail "server did not start"
	export RUMP_SERVER="unix://$PWD/sock"
}

stop_server() {
	[ -f server.pid ] && kill "$(cat server.pid)" 2>/dev/null
	rm -f server.pid
}

mksrc() {
	mkdir -p src/d1/d2 src/empty
	echo one > src/x.txt
	seq 1 50000 > src/d1/big
	printf 'a\0b\377' > src/d1/bin
	ln -s x.txt src/lnk
	chmod 640 src/x.txt
	touch -h -d '2020-01-02 03:04:05' src/x.txt src/lnk src/d1/big \
	    src/d1/bin
}


atf_test_case ls_l_matches_host cleanup
ls_l_matches_host_head() {
	atf_set "descr" "ls -ln and ls -R of files copied in with cp -a" \
	    "print what they print on the host"
}
ls_l_matches_host_body() {
	start_server
	mksrc
	atf_check $hj cp -a src /rump/src
	files="x.txt lnk d1/big d1/bin"
	(cd src && ls -ln --time-style=+%s $files) > host.out
	atf_check -o file:host.out $hj sh -c \
	    "cd /rump/src && ls -ln --time-style=+%s $files"
	(cd src && ls -R) > host.out
	atf_check -o file:host.out $hj sh -c 'cd /rump/src && ls -R'
}
ls_l_matches_host_cleanup() {
	stop_server
}

atf_test_case cp_r_both_directions cleanup
cp_r_both_directions_head() {
	atf_set "descr" "cp -r into the kernel and back out gives the same" \
	    "tree (diff -r on the host)"
}
cp_r_both_directions_body() {
	start_server
	mksrc
	atf_check $hj cp -r src /rump/copy
	atf_check $hj cp -r /rump/copy back
	atf_check diff -r src back
	atf_check $hj cp -a /rump/copy back2
	atf_check diff -r src back2
}
cp_r_both_directions_cleanup() {
	stop_server
}

atf_test_case cat_sha256_dd cleanup
cat_sha256_dd_head() {
	atf_set "descr" "cat, sha256sum and dd bs= count= read kernel files" \
	    "as the host files they were copied from"
}
cat_sha256_dd_body() {
	start_server
	mksrc
	atf_check $hj cp src/d1/big src/d1/bin /rump/
	atf_check -o file:src/d1/big $hj cat /rump/big
	atf_check -o file:src/d1/bin $hj cat /rump/bin
	(cd src/d1 && sha256sum big) > host.out
	atf_check -o file:host.out $hj sh -c 'cd /rump && sha256sum big'
	dd if=src/d1/big of=host.dd bs=1000 count=7 skip=3 2>/dev/null
	atf_check -e ignore $hj dd if=/rump/big of=/rump/k.dd bs=1000 \
	    count=7 skip=3
	atf_check -o file:host.dd $hj cat /rump/k.dd
}
cat_sha256_dd_cleanup() {
	stop_server
}

atf_test_case mkdir_mv_rm cleanup
mkdir_mv_rm_head() {
	atf_set "descr" "mkdir -p, mv inside the kernel and out of it," \
	    "and rm -r"
}
mkdir_mv_rm_body() {
	start_server
	atf_check $hj mkdir -p /rump/a/b/c
	atf_check $hj test -d /rump/a/b/c
	atf_check $hj sh -c 'echo data > /rump/a/b/c/f'
	atf_check $hj mv /rump/a/b /rump/moved
	atf_check -o inline:"data\n" $hj cat /rump/moved/c/f
	atf_check $hj mv /rump/moved/c/f out.txt
	atf_check -o inline:"data\n" cat out.txt
	atf_check -s exit:1 $hj test -e /rump/moved/c/f
	atf_check $hj rm -r /rump/a /rump/moved
	atf_check -o empty $hj ls /rump
}
mkdir_mv_rm_cleanup() {
	stop_server
}

atf_test_case ln_stat_touch_chmod cleanup
ln_stat_touch_chmod_head() {
	atf_set "descr" "ln -s, readlink, touch -d, chmod: stat shows the" \
	    "same fields as for the same work on the host"
}
ln_stat_touch_chmod_body() {
	start_server
	mkdir host
	for d in host /rump; do
		$hj mkdir $d/w || atf_fail "mkdir $d/w"
		$hj sh -c "echo 12345 > $d/w/f" || atf_fail "write $d/w/f"
		$hj ln -s f $d/w/l || atf_fail "ln -s in $d"
		$hj touch -d '2001-02-03 04:05:06.5' $d/w/f || atf_fail touch
		$hj chmod 751 $d/w/f || atf_fail chmod
		{ $hj stat -c '%n %s %a %F %Y %X %h' $d/w/f &&
		    $hj stat -c '%n %s %a %F %h' $d/w/l; } |
		    sed "s|^$d|D|" > $(basename $d).out
		$hj readlink $d/w/l >> $(basename $d).out
	done
	atf_check -o file:host.out cat rump.out
}
ln_stat_touch_chmod_cleanup() {
	stop_server
}

atf_test_case find_du cleanup
find_du_head() {
	atf_set "descr" "find -type f -newer and du -ab find the same files" \
	    "and sizes as on the host"
}
find_du_body() {
	start_server
	mksrc
	atf_check $hj cp -a src /rump/src
	touch -d '2021-01-01' src/ref
	atf_check $hj cp -a src/ref /rump/src/ref
	echo new > src/d1/newer
	atf_check $hj cp -a src/d1/newer /rump/src/d1/newer
	(cd src && find . -type f -newer ref | sort) > host.out
	atf_check -o file:host.out $hj sh -c \
	    'cd /rump/src && find . -type f -newer ref | sort'
	(cd src && find . -type f -print0 | xargs -0 du -ab | sort -k2) \
	    > host.out
	atf_check -o file:host.out $hj sh -c \
	    'cd /rump/src && find . -type f -print0 | xargs -0 du -ab |
	    sort -k2'
}
find_du_cleanup() {
	stop_server
}

atf_test_case tar_in_and_out cleanup
tar_in_and_out_head() {
	atf_set "descr" "tar cf into the kernel and tar xf out of it and" \
	    "inside it reproduce the tree"
}
tar_in_and_out_body() {
	start_server
	mksrc
	atf_check $hj tar cf /rump/s.tar -C src .
	mkdir out
	atf_check $hj tar xf /rump/s.tar -C out
	atf_check diff -r src out
	atf_check $hj mkdir /rump/x
	atf_check $hj tar xf /rump/s.tar -C /rump/x
	atf_check $hj tar cf k.tar -C /rump/x .
	mkdir out2
	atf_check tar xf k.tar -C out2
	atf_check diff -r src out2
}
tar_in_and_out_cleanup() {
	stop_server
}

atf_test_case bash_cd_redirect_glob cleanup
bash_cd_redirect_glob_head() {
	atf_set "descr" "bash with its cwd in the kernel: >, >>, <, exec" \
	    "redirections, globbing and pwd"
}
bash_cd_redirect_glob_body() {
	start_server
	atf_check $hj mkdir /rump/d
	atf_check -o inline:"x\ny\nb.txt c.txt\n/rump/d\n/rump/d\n2\nx\n" \
	    $hj bash -c 'cd /rump/d && echo x > f && echo y >> f && cat < f &&
	    touch b.txt c.txt && echo *.txt && pwd && /bin/pwd &&
	    wc -l < f && exec 3< f && head -1 <&3'
	atf_check -o inline:"b.txt\nc.txt\nf\n" $hj sh -c 'cd /rump/d && ls'
	atf_check -o inline:"hello\n" $hj sh -c \
	    'echo hello > /rump/d/g; cat /rump/d/g'
}
bash_cd_redirect_glob_cleanup() {
	stop_server
}

atf_test_case python_files cleanup
python_files_head() {
	atf_set "descr" "python3 writes, lists and stats kernel files (also" \
	    "through the legacy __xstat); descriptors are above fdoff and" \
	    "are not ttys"
}
python_files_body() {
	start_server
	atf_check -o inline:"['p.txt']\n3 True False\n0 3\n" $hj python3 -c '
import os
open("/rump/p.txt", "w").write("py\n")
print(os.listdir("/rump"))
fd = os.open("/rump/p.txt", os.O_RDONLY)
print(os.stat("/rump/p.txt").st_size, fd >= 256, os.isatty(fd))
import ctypes
buf = ctypes.create_string_buffer(256)
libc = ctypes.CDLL(None)
print(libc.__xstat(1, b"/rump/p.txt", buf),
    int.from_bytes(buf.raw[48:56], "little"))
'
	atf_check -o inline:"True\n" -x "RUMPHIJACK=path=/rump,fdoff=100" \
	    "LD_PRELOAD=$lib python3 -c 'import os;
fd = os.open(\"/rump/p.txt\", os.O_RDONLY); print(100 <= fd < 256)'"
}
python_files_cleanup() {
	stop_server
}

atf_test_case exec_keeps_fds_honours_cloexec cleanup
exec_keeps_fds_honours_cloexec_head() {
	atf_set "descr" "a subprocess reads a kernel file; across exec a" \
	    "kernel descriptor stays open unless it is close-on-exec"
}
exec_keeps_fds_honours_cloexec_body() {
	start_server
	atf_check $hj sh -c 'echo kern > /rump/ce.txt'
	atf_check -o inline:"kern\nkern\nclosed\n" -e ignore $hj python3 -c '
import os, subprocess
r = subprocess.run(["cat", "/rump/ce.txt"], capture_output=True)
print(r.stdout.decode(), end="", flush=True)
a = os.open("/rump/ce.txt", os.O_RDONLY)
b = os.open("/rump/ce.txt", os.O_RDONLY | os.O_CLOEXEC)
os.set_inheritable(a, True)
os.execv("/bin/bash", ["bash", "-c",
    "cat <&%d; cat <&%d 2>/dev/null || echo closed" % (a, b)])
'
}
exec_keeps_fds_honours_cloexec_cleanup() {
	stop_server
}

atf_test_case threads_concurrent cleanup
threads_concurrent_head() {
	atf_set "descr" "eight python threads create, read back and remove" \
	    "kernel files at the same time"
}
threads_concurrent_body() {
	start_server
	atf_check -o inline:"400\n" $hj python3 -c '
import threading, os
n = []
def work(i):
    for j in range(50):
        p = "/rump/t%d_%d" % (i, j)
        with open(p, "w") as f:
            f.write(p * 100)
        if open(p).read() == p * 100:
            n.append(p)
        os.unlink(p)
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
print(len(n))
'
	atf_check -o empty $hj ls /rump
}
threads_concurrent_cleanup() {
	stop_server
}

atf_test_case dir_stream_seek_rewind cleanup
dir_stream_seek_rewind_head() {
	atf_set "descr" "opendir/readdir/telldir/seekdir/rewinddir/dirfd/" \
	    "closedir and scandir on a kernel directory behave as on a" \
	    "host one, and host streams pass through"
}
dir_stream_seek_rewind_body() {
	start_server
	atf_check $hj sh -c \
	    'mkdir /rump/dd && touch /rump/dd/a /rump/dd/b /rump/dd/c'
	mkdir hd && touch hd/a hd/b hd/c
	cat > dirtest.py <<'EOF_PY'
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.opendir.restype = ctypes.c_void_p
libc.readdir.restype = ctypes.c_void_p
libc.readdir.argtypes = [ctypes.c_void_p]
libc.telldir.restype = ctypes.c_long
libc.telldir.argtypes = [ctypes.c_void_p]
libc.seekdir.argtypes = [ctypes.c_void_p, ctypes.c_long]
libc.rewinddir.argtypes = [ctypes.c_void_p]
libc.dirfd.argtypes = [ctypes.c_void_p]
libc.closedir.argtypes = [ctypes.c_void_p]
def name(p):
    return ctypes.string_at(p + 19).decode()
def walk(path):
    d = libc.opendir(path.encode())
    ents = []
    while True:
        loc = libc.telldir(d)
        p = libc.readdir(d)
        if not p:
            break
        if name(p) not in (".", ".."):
            ents.append((loc, name(p)))
    names = sorted(n for _, n in ents)
    libc.seekdir(d, ents[1][0])
    again = name(libc.readdir(d)) == ents[1][1]
    libc.rewinddir(d)
    first = libc.readdir(d) is not None
    fd = libc.dirfd(d)
    print(names, again, first, fd >= 256, libc.closedir(d))
walk(sys.argv[1])
walk(sys.argv[2])
EOF_PY
	printf "%s\n" "['a', 'b', 'c'] True True True 0" \
	    "['a', 'b', 'c'] True True False 0" > expect.out
	atf_check -o file:expect.out $hj python3 dirtest.py /rump/dd hd
	cat > sd.py <<'EOF_PY'
import ctypes, sys
libc = ctypes.CDLL(None)
lst = ctypes.POINTER(ctypes.c_void_p)()
libc.scandir.argtypes = [ctypes.c_char_p,
    ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p)), ctypes.c_void_p,
    ctypes.c_void_p]
alpha = ctypes.cast(libc.alphasort, ctypes.c_void_p)
for d in sys.argv[1:]:
    n = libc.scandir(d.encode(), ctypes.byref(lst), None, alpha)
    print(n, *[ctypes.string_at(lst[i] + 19).decode() for i in range(n)])
EOF_PY
	atf_check -o inline:"5 . .. a b c\n5 . .. a b c\n-1\n" \
	    $hj python3 sd.py /rump/dd hd /rump/nosuch
}
dir_stream_seek_rewind_cleanup() {
	stop_server
}

atf_test_case mtools_image_in_kernel cleanup
mtools_image_in_kernel_head() {
	atf_set "descr" "cp keeps a sparse FAT image intact into the kernel;" \
	    "mtools (fortified __read_chk) read and write it there;" \
	    "fsck.fat and mtype check it on the host afterwards"
}
mtools_image_in_kernel_body() {
	command -v mcopy >/dev/null && command -v mkfs.fat >/dev/null ||
	    atf_skip "mtools and dosfstools are needed"
	start_server
	atf_check -o ignore mkfs.fat -C -F 12 --invariant fat.img 1024
	echo hello > h.txt
	atf_check mcopy -i fat.img h.txt ::/h.txt
	atf_check $hj cp fat.img /rump/fat.img
	atf_check -o inline:"hello\n" $hj mtype -i /rump/fat.img ::/h.txt
	atf_check $hj sh -c 'echo again > /rump/a.txt'
	atf_check $hj mcopy -i /rump/fat.img /rump/a.txt ::/a.txt
	atf_check $hj cp /rump/fat.img back.img
	atf_check -o ignore fsck.fat -n back.img
	atf_check -o inline:"again\n" mtype -i back.img ::/a.txt
	atf_check -o inline:"hello\n" mtype -i back.img ::/h.txt
}
mtools_image_in_kernel_cleanup() {
	stop_server
}

atf_test_case system_popen_keep_kernel_cwd cleanup
system_popen_keep_kernel_cwd_head() {
	atf_set "descr" "system() and popen() run their shell in the" \
	    "caller's kernel process, in its kernel cwd"
}
system_popen_keep_kernel_cwd_body() {
	start_server
	atf_check $hj sh -c 'mkdir /rump/d && echo x > /rump/d/f'
	cat > sp.py <<'EOF_PY'
import os, ctypes
os.chdir("/rump/d")
print(os.system("ls; exit 3") >> 8)
libc = ctypes.CDLL(None)
libc.popen.restype = ctypes.c_void_p
libc.popen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.fgets.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
libc.fputs.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
libc.pclose.argtypes = [ctypes.c_void_p]
fp = libc.popen(b"cat f", b"r")
buf = ctypes.create_string_buffer(100)
libc.fgets(buf, 100, fp)
print(buf.value.decode(), end="")
print(libc.pclose(fp))
fp = libc.popen(b"cat > g", b"w")
libc.fputs(b"via popen\n", fp)
print(libc.pclose(fp), open("g").read(), end="")
EOF_PY
	atf_check -o inline:"f\n3\nx\n0\n0 via popen\n" $hj python3 sp.py
}
system_popen_keep_kernel_cwd_cleanup() {
	stop_server
}

atf_test_case sed_i_mktemp_fifo_remove cleanup
sed_i_mktemp_fifo_remove_head() {
	atf_set "descr" "sed -i (mkostemp in the kernel), mktemp -d and" \
	    "--suffix, mkfifo, and remove(3) of a file and a directory"
}
sed_i_mktemp_fifo_remove_body() {
	start_server
	atf_check $hj sh -c 'printf "one\ntwo\n" > /rump/s.txt'
	atf_check $hj sed -i s/one/ONE/ /rump/s.txt
	atf_check -o inline:"ONE\ntwo\n" $hj cat /rump/s.txt
	atf_check -o inline:"s.txt\n" $hj ls /rump
	atf_check -o match:"^/rump/td[A-Za-z0-9]{6}\$" \
	    $hj mktemp -d /rump/tdXXXXXX
	atf_check -o match:"^/rump/tf[A-Za-z0-9]{6}\\.s\$" \
	    $hj mktemp --suffix=.s /rump/tfXXXXXX
	atf_check -o match:"^drwx------ .* td" -o match:"^-rw------- .* tf" \
	    $hj ls -l /rump
	atf_check $hj mkfifo /rump/fifo
	atf_check -o match:"^p" $hj ls -l /rump/fifo
	atf_check $hj mkdir /rump/d
	atf_check -o inline:"0 0 -1\n" $hj python3 -c '
import ctypes
libc = ctypes.CDLL(None)
print(libc.remove(b"/rump/s.txt"), libc.remove(b"/rump/d"),
    libc.remove(b"/rump/d"))
'
	atf_check -s exit:1 $hj test -e /rump/d
}
sed_i_mktemp_fifo_remove_cleanup() {
	stop_server
}

atf_test_case mmap_private_copy cleanup
mmap_private_copy_head() {
	atf_set "descr" "a private mapping of a kernel file holds its" \
	    "contents; a shared one fails with ENODEV"
}
mmap_private_copy_body() {
	start_server
	seq 1 3000 > host.txt
	atf_check $hj cp host.txt /rump/m.txt
	atf_check -o inline:"True\n19\n" $hj python3 -c '
import mmap, os, errno
fd = os.open("/rump/m.txt", os.O_RDONLY)
m = mmap.mmap(fd, 0, access=mmap.ACCESS_COPY)
print(m[:] == open("host.txt", "rb").read())
try:
    mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
except OSError as e:
    print(e.errno)
'
}
mmap_private_copy_cleanup() {
	stop_server
}

atf_test_case select_poll_mixed cleanup
select_poll_mixed_head() {
	atf_set "descr" "select and poll over a host pipe and a kernel" \
	    "file report each ready descriptor"
}
select_poll_mixed_body() {
	start_server
	atf_check $hj sh -c 'echo x > /rump/f'
	atf_check -o inline:"k\nkh\nk\n" $hj python3 -c '
import os, select
k = os.open("/rump/f", os.O_RDONLY)
r, w = os.pipe()
rd, _, _ = select.select([k, r], [], [], 0.5)
print("".join("k" if f == k else "h" for f in rd))
os.write(w, b"y")
rd, _, _ = select.select([k, r], [], [], 0.5)
print("".join("k" if f == k else "h" for f in sorted(rd, key=lambda f: f != k)))
p = select.poll(); p.register(k, select.POLLIN)
print("".join("k" for f, ev in p.poll(500) if f == k and ev & select.POLLIN))
'
}
select_poll_mixed_cleanup() {
	stop_server
}

atf_test_case stdio_fopen_sort cleanup
stdio_fopen_sort_head() {
	atf_set "descr" "sort reads and writes kernel files through stdio" \
	    "(fopen) and through a redirected stdout"
}
stdio_fopen_sort_body() {
	start_server
	printf 'b\nc\na\n' > in.txt
	atf_check $hj cp in.txt /rump/in.txt
	atf_check $hj sort -o /rump/out.txt /rump/in.txt
	atf_check -o inline:"a\nb\nc\n" $hj cat /rump/out.txt
	atf_check $hj sh -c 'sort -r < /rump/in.txt > /rump/r.txt'
	atf_check -o inline:"c\nb\na\n" $hj cat /rump/r.txt
}
stdio_fopen_sort_cleanup() {
	stop_server
}

atf_test_case spawn_and_realpath cleanup
spawn_and_realpath_head() {
	atf_set "descr" "posix_spawn with a file action opening a kernel" \
	    "file, and libc realpath through a kernel symlink"
}
spawn_and_realpath_body() {
	start_server
	atf_check $hj mkdir -p /rump/a/b
	atf_check $hj ln -s a/b /rump/l
	atf_check -o inline:"0\nspawned\n/rump/a/b\n/rump/a\n" $hj python3 -c '
import os, ctypes
pid = os.posix_spawn("/bin/echo", ["echo", "spawned"], os.environ,
    file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/rump/out",
    os.O_WRONLY | os.O_CREAT, 0o644)])
print(os.waitpid(pid, 0)[1])
print(open("/rump/out").read(), end="")
libc = ctypes.CDLL(None)
libc.realpath.restype = ctypes.c_char_p
print(libc.realpath(b"/rump/l", None).decode())
os.chdir("/rump/l/..")
print(os.getcwd())
'
}
spawn_and_realpath_cleanup() {
	stop_server
}

atf_test_case cross_boundary_exdev cleanup
cross_boundary_exdev_head() {
	atf_set "descr" "rename and link between host and kernel fail with" \
	    "EXDEV; /rumpfoo is a host path; a kernel descriptor cannot be" \
	    "passed over a host socket (EBADF) or watched by epoll (EPERM)"
}
cross_boundary_exdev_body() {
	start_server
	echo h > h.txt
	atf_check $hj sh -c 'echo k > /rump/k.txt'
	atf_check -o inline:"18 18 18 2 9 1\n" -e match:"SCM_RIGHTS" \
	    $hj python3 -c '
import os, errno, select, socket
r = []
for f in (lambda: os.rename("/rump/k.txt", "x"),
    lambda: os.rename("h.txt", "/rump/h"),
    lambda: os.link("h.txt", "/rump/h")):
    try:
        f()
    except OSError as e:
        r.append(e.errno)
try:
    os.stat("/rumpfoo")
except OSError as e:
    r.append(e.errno)
k = os.open("/rump/k.txt", os.O_RDONLY)
a, b = socket.socketpair(socket.AF_UNIX)
try:
    socket.send_fds(a, [b"x"], [k])
except OSError as e:
    r.append(e.errno)
try:
    select.epoll().register(k)
except OSError as e:
    r.append(e.errno)
print(*r)
'
}
cross_boundary_exdev_cleanup() {
	stop_server
}

atf_test_case dotdot_leaves_prefix cleanup
dotdot_leaves_prefix_head() {
	atf_set "descr" "/rump/.. and .. out of a kernel cwd are host paths," \
	    "resolved by their normalised form"
}
dotdot_leaves_prefix_body() {
	start_server
	atf_check $hj mkdir /rump/d
	echo host > h.txt
	stat -c '%i %h %Y' / > host.out
	atf_check -o file:host.out $hj stat -c '%i %h %Y' /rump/..
	atf_check -o inline:"host\n/\n" $hj bash -c \
	    "cd /rump/d && cat ../..$PWD/h.txt && cd ../.. && pwd"
}
dotdot_leaves_prefix_cleanup() {
	stop_server
}

atf_test_case blanket_keeps_prefix cleanup
blanket_keeps_prefix_head() {
	atf_set "descr" "blanket= paths go to the kernel unchanged, beside" \
	    "the path= prefix, with cwd and realpath in blanket form"
}
blanket_keeps_prefix_body() {
	start_server
	export RUMPHIJACK=path=/rump,blanket=/blk:/other
	atf_check -o inline:"b\n/blk\nf\n" $hj sh -c \
	    'mkdir /blk && echo b > /blk/f && cat /rump/blk/f && cd /blk &&
	    pwd && ls'
	atf_check -o inline:"/blk/f\n/blk\n" $hj python3 -c '
import ctypes, os
libc = ctypes.CDLL(None)
libc.realpath.restype = ctypes.c_char_p
print(libc.realpath(b"/blk/f", None).decode())
os.chdir("/blk")
print(os.getcwd())
'
	atf_check -s exit:1 $hj test -e /blkx
}
blanket_keeps_prefix_cleanup() {
	stop_server
}

atf_test_case host_only_no_server
host_only_no_server_head() {
	atf_set "descr" "with no server, host programs run unchanged under" \
	    "the library; a kernel path fails and names the server"
}
host_only_no_server_body() {
	require_plain
	mkdir d && touch d/a d/b
	ls -l d > host.out
	export RUMP_SERVER="unix://$PWD/nosuch"
	atf_check -o file:host.out $hj ls -l d
	atf_check -s exit:2 -e match:"nosuch" $hj ls /rump
}

atf_test_case bad_config_exits
bad_config_exits_head() {
	atf_set "descr" "a malformed RUMPHIJACK stops the program with a" \
	    "message at first use"
}
bad_config_exits_body() {
	require_plain
	atf_check -s exit:1 -e match:"bad RUMPHIJACK: unknown key" \
	    -x "RUMPHIJACK=bogus=1 LD_PRELOAD=$lib ls /"
	atf_check -s exit:1 -e match:"fdoff" \
	    -x "RUMPHIJACK=fdoff=x LD_PRELOAD=$lib ls /"
	atf_check -s exit:1 -e match:"socket family.*ipx" \
	    -x "RUMPHIJACK=socket=inet:ipx LD_PRELOAD=$lib ls /"
	atf_check -o ignore \
	    -x "RUMPHIJACK=path=/k,socket=all:nolocal LD_PRELOAD=$lib ls /"
}

atf_test_case wrapper_command cleanup
wrapper_command_head() {
	atf_set "descr" "rump.hijack runs a command with the library and" \
	    "-p sets the prefix"
}
wrapper_command_body() {
	atf_check -o match:"usage: rump.hijack" "$bin/rump.hijack" --help
	start_server
	atf_check "$bin/rump.hijack" -p /k sh -c 'echo w > /k/w'
	atf_check -o inline:"w\n" "$bin/rump.hijack" cat /rump/w
}
wrapper_command_cleanup() {
	stop_server
}

atf_init_test_cases() {
	atf_add_test_case ls_l_matches_host
	atf_add_test_case cp_r_both_directions
	atf_add_test_case cat_sha256_dd
	atf_add_test_case mkdir_mv_rm
	atf_add_test_case ln_stat_touch_chmod
	atf_add_test_case find_du
	atf_add_test_case tar_in_and_out
	atf_add_test_case bash_cd_redirect_glob
	atf_add_test_case python_files
	atf_add_test_case exec_keeps_fds_honours_cloexec
	atf_add_test_case threads_concurrent
	atf_add_test_case dir_stream_seek_rewind
	atf_add_test_case mtools_image_in_kernel
	atf_add_test_case system_popen_keep_kernel_cwd
	atf_add_test_case sed_i_mktemp_fifo_remove
	atf_add_test_case mmap_private_copy
	atf_add_test_case select_poll_mixed
	atf_add_test_case stdio_fopen_sort
	atf_add_test_case spawn_and_realpath
	atf_add_test_case cross_boundary_exdev
	atf_add_test_case dotdot_leaves_prefix
	atf_add_test_case blanket_keeps_prefix
	atf_add_test_case host_only_no_server
	atf_add_test_case bad_config_exits
	atf_add_test_case wrapper_command
}
