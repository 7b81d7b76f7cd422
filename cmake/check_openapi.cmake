# Fails when docs/openapi.json is not what docs/openapi.py generates.
execute_process(COMMAND ${PYTHON} ${SRC}/openapi.py OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "docs/openapi.py failed")
endif()
file(READ ${SRC}/openapi.json committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "docs/openapi.json is stale: run python3 docs/openapi.py > docs/openapi.json")
endif()
