# Cross-compiling for 64-bit ARM (Debian's arm64, aarch64-linux-gnu) on an amd64 Debian
# 12 host, with Debian's cross toolchain (crossbuild-essential-arm64) and the libraries'
# multiarch -dev:arm64 packages. scripts/build-arm64.sh installs both and uses this file:
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm64.cmake
# Test binaries run under qemu-user (qemu-aarch64-static): ctest and the Catch2 test
# discovery at build time go through CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(edgegw_triplet aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${edgegw_triplet}-gcc)
set(CMAKE_CXX_COMPILER ${edgegw_triplet}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${edgegw_triplet})

# Debian's multiarch layout: the arm64 libraries live in /usr/lib/aarch64-linux-gnu next
# to the host's, the headers in /usr/include are shared. EDGEGW_ARM64_EXTRA_ROOT holds
# -dev packages that cannot be installed for two architectures at once (extracted there
# by the script); searching it first makes their arm64 files win.
set(EDGEGW_ARM64_EXTRA_ROOT "" CACHE PATH "Extracted arm64 -dev packages (build-arm64.sh)")
set(CMAKE_FIND_ROOT_PATH ${EDGEGW_ARM64_EXTRA_ROOT} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# pkg-config: only the arm64 .pc files (and the architecture-independent ones).
set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${edgegw_triplet}/pkgconfig:/usr/share/pkgconfig")
if(EDGEGW_ARM64_EXTRA_ROOT)
  set(ENV{PKG_CONFIG_PATH} "${EDGEGW_ARM64_EXTRA_ROOT}/usr/lib/${edgegw_triplet}/pkgconfig")
endif()

# -L /: the arm64 dynamic loader and libc installed by multiarch (libc6:arm64, which the
# arm64 -dev packages bring), the same files the loader finds through the host's
# ld.so.cache. Not the cross toolchain's /usr/aarch64-linux-gnu: its loader is an older
# build of glibc than that libc, and the pair hangs in the first pthread_create under
# qemu. -E: the unpacked runtime libraries that are not installed for arm64.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static -L /)
if(EDGEGW_ARM64_EXTRA_ROOT)
  list(APPEND CMAKE_CROSSCOMPILING_EMULATOR
       -E LD_LIBRARY_PATH=${EDGEGW_ARM64_EXTRA_ROOT}/usr/lib/${edgegw_triplet})
endif()

# The Debian package (CPack): its architecture (dpkg would answer the host's), and the
# arm64 binutils that split off the debug info.
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
set(CPACK_OBJCOPY_EXECUTABLE ${edgegw_triplet}-objcopy)
set(CPACK_READELF_EXECUTABLE ${edgegw_triplet}-readelf)
