# Warnings and sanitizers as INTERFACE targets, linked PRIVATE by each of our targets
# (the cpp-best-practices cmake_template pattern).
add_library(ddpm_warnings INTERFACE)
add_library(ddpm::warnings ALIAS ddpm_warnings)
target_compile_options(ddpm_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)

add_library(ddpm_sanitizers INTERFACE)
add_library(ddpm::sanitizers ALIAS ddpm_sanitizers)
if(DDPM_SANITIZE)
  target_compile_options(ddpm_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(ddpm_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
