# Every dependency comes from a Debian 12 package installed by scripts/install-deps.sh.
find_package(Threads REQUIRED)
find_package(PahoMqttCpp REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)
# sd_notify: readiness, status and watchdog pings for a Type=notify systemd service.
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)

# Debian 12 builds cpp-httplib as a shared library, found through pkg-config.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(httplib_header INTERFACE)
target_link_libraries(httplib_header INTERFACE PkgConfig::HTTPLIB)

if(EDGEGW_BUILD_TESTS)
  find_package(Catch2 REQUIRED)
  include(Catch)
endif()
if(EDGEGW_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
