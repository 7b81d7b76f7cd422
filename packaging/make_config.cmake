# Writes the packaged /etc/chamado/chamado.toml: `chamado config keys --toml` (every key
# commented out at its default), with the data folder of a packaged install set.
# cmake -DCHAMADO=<binary> -DOUT=<file> -P make_config.cmake
execute_process(COMMAND ${CHAMADO} config keys --toml OUTPUT_VARIABLE example RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "chamado config keys --toml failed (${rc})")
endif()
set(default_data "#data = \"./data\"\n")
string(FIND "${example}" "${default_data}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the example no longer holds ${default_data}")
endif()
string(REPLACE "${default_data}" "data = \"/var/lib/chamado\"\n" example "${example}")
file(WRITE ${OUT} "# /etc/chamado/chamado.toml, read by chamado.service (systemctl restart chamado after a change).\n${example}")
