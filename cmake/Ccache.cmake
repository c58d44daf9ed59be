# Use ccache when it is installed: rebuilds of the torch-heavy sources on two cores
# drop from minutes to seconds. Precompiled headers need the sloppiness settings from
# ccache's manual ("Precompiled headers"), passed through the launcher so they hold
# at build time, not only at configure time.
find_program(DDPM_CCACHE ccache)
if(DDPM_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      "${CMAKE_COMMAND};-E;env;CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime;${DDPM_CCACHE}")
endif()
