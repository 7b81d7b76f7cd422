# Writes <OUT>.gz, the Debian changelog of chamado <VERSION>-<RELEASE> (gzip -9n: no timestamp
# inside). Included at configure time and again by cpack (cpack_project.cmake), which knows the
# release given with `cpack -D CPACK_DEBIAN_PACKAGE_RELEASE=N`.
set(git_note "")
if(CHANGELOG_GIT)
  set(git_note " (git ${CHANGELOG_GIT})")
endif()
string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${CHANGELOG_OUT}
     "chamado (${CHANGELOG_VERSION}-${CHANGELOG_RELEASE}) unstable; urgency=medium\n\n"
     "  * Built from the Chamado source tree${git_note}.\n\n"
     " -- Chamado maintainers <maintainers@chamado.example>  ${changelog_date}\n")
execute_process(COMMAND gzip -9nc ${CHANGELOG_OUT} OUTPUT_FILE ${CHANGELOG_OUT}.gz RESULT_VARIABLE gzip_rc)
if(NOT gzip_rc EQUAL 0)
  message(FATAL_ERROR "gzip failed writing ${CHANGELOG_OUT}.gz")
endif()
