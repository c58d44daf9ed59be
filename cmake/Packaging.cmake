# The Debian package (scripts/package.sh runs `cpack -G DEB` in the release build):
# ddpm-studio_VERSION_amd64.deb with /usr/bin/ddpm and /usr/bin/ddpm-studio, the desktop
# entry, hicolor icons, man pages made from the real --help (help2man), the shipped
# checkpoints under /usr/share/ddpm-studio, and Depends computed by dpkg-shlibdeps from
# the binaries plus the data package the app opens by default.
include(GNUInstallDirs)

# Man pages: help2man runs each installed program's --help and --version at build time,
# so the pages never drift from the options. Optional: without help2man there are none.
find_program(DDPM_HELP2MAN help2man)
function(ddpm_man_page target description)
  if(NOT DDPM_HELP2MAN OR DDPM_SANITIZE)  # a sanitizer build is for tests, not for installing
    return()
  endif()
  set(page "${CMAKE_CURRENT_BINARY_DIR}/${target}.1")
  add_custom_command(
    OUTPUT "${page}.gz"
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
            ${DDPM_HELP2MAN} --no-info --no-discard-stderr --section=1 --name=${description}
            --version-string=${PROJECT_VERSION} --output=${page} $<TARGET_FILE:${target}>
    COMMAND gzip -9nf "${page}"
    DEPENDS ${target}
    COMMENT "Man page ${target}.1 from ${target} --help"
    VERBATIM)
  add_custom_target(${target}_man ALL DEPENDS "${page}.gz")
  install(FILES "${page}.gz" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endfunction()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "ddpm-studio")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "DDPM Studio")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Denoising diffusion models, shown: a desktop app and CLI that teach DDPM")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")  # ddpm-studio_VERSION_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "DDPM Studio developers <ddpm-studio@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Denoising diffusion models, shown\n Drag a timestep slider and watch images dissolve into noise, edit the noise\n schedule, train a model and watch noise turn back into images step by step.\n ddpm-studio is the Qt desktop app; ddpm drives the same C++ core from the\n command line. Ships small pretrained models and opens on Fashion-MNIST.")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps on the binaries
# What the binaries do not link but the app opens: the default data set, and the fonts
# its maths symbols are drawn with.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "dataset-fashion-mnist, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-serial | libopenblas0")
include(CPack)
