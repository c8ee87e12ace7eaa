# Warnings for the project's own targets (not for dependencies' headers).
function(edgegw_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
                         -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
  if(EDGEGW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
