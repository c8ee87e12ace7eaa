# What `cmake --install` puts where, and the Debian package built from it with CPack
# (scripts/package.sh): the binaries on PATH, the example config as the conffile
# /etc/edgegw/gateway.yaml, the hardened systemd unit, the docs, and maintainer scripts
# that create the edgegw system user and its private /var/lib/edgegw. Debug info goes
# to a separate -dbgsym package, so that the binaries on the device stay small.
include(GNUInstallDirs)

install(TARGETS edgegw edgegw-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES config/gateway.example.yaml DESTINATION /etc/edgegw RENAME gateway.yaml
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES packaging/edgegw.service DESTINATION /lib/systemd/system)
set(edgegw_docdir ${CMAKE_INSTALL_DATADIR}/doc/edgegw)
install(FILES README.md DESTINATION ${edgegw_docdir})
install(DIRECTORY docs/ DESTINATION ${edgegw_docdir})
install(FILES config/gateway.example.yaml config/analytics.example.yaml
              config/fleet.example.yaml config/fleet.field.yaml
              config/fleet.maintenance.yaml config/fleet.sparkplug.yaml
              config/mosquitto.acl.example
              config/dashboard.example.yaml config/devices.example.csv
              config/devices.example.yaml
        DESTINATION ${edgegw_docdir}/examples)
# The dashboard's page embeds Debian's Chart.js (MIT): its licence goes with the binary.
install(FILES /usr/share/doc/libjs-chart.js/copyright DESTINATION ${edgegw_docdir}
        RENAME chart.js.copyright)
install(DIRECTORY config/monitoring DESTINATION ${edgegw_docdir}/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME edgegw)
set(CPACK_PACKAGE_VENDOR "edgegw")
set(CPACK_PACKAGE_CONTACT "edgegw maintainers <edgegw@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Edge gateway: MQTT sensor telemetry to Kafka through a durable log, with analytics")
set(CPACK_PACKAGE_DESCRIPTION
    "edgegw maps MQTT telemetry to named sensor readings, detects anomalies and predicts \
remaining useful life at the edge, keeps every record in a durable local log and \
forwards key-partitioned streams to Kafka.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mosquitto, kcat")
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
