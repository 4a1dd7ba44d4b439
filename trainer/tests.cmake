# trainer/tests.cmake — the trainer's tests, included from tests/CMakeLists.txt (which
# defines sl_add_check_test). Label "train"; the training runs also "nosan" (minutes under
# ASan at -O0; the gradient check and the torch twin exercise the same code there).
if(TARGET sl_trainer)
  # The gradient check runs the trainer in double so that finite differences are exact
  # to ~1e-8; same sources, SL_REAL_DOUBLE.
  add_library(sl_trainer_f64 STATIC ${SL_TRAINER_SOURCES})
  target_include_directories(sl_trainer_f64 PUBLIC ${PROJECT_SOURCE_DIR}/trainer)
  target_compile_definitions(sl_trainer_f64 PUBLIC SL_REAL_DOUBLE)
  target_link_libraries(sl_trainer_f64 PUBLIC sl_host m)
  target_compile_options(sl_trainer_f64 PRIVATE -O2)
  if(SL_OPENMP AND OpenMP_C_FOUND)
    target_link_libraries(sl_trainer_f64 PUBLIC OpenMP::OpenMP_C)
  endif()
  sl_add_check_test(test_trainer_grad SOURCES ${PROJECT_SOURCE_DIR}/trainer/tests/test_trainer_grad.c
                    LIBS sl_trainer_f64 LABELS unit train TIMEOUT 300)
endif()
if(TARGET sl_trainer)
  sl_add_check_test(test_trainer_augment SOURCES ${PROJECT_SOURCE_DIR}/trainer/tests/test_trainer_augment.c
                    LIBS sl_trainer LABELS unit train)
  sl_add_check_test(test_data_speaker SOURCES ${PROJECT_SOURCE_DIR}/trainer/tests/test_data_speaker.c
                    LIBS sl_trainer LABELS unit train)
  sl_add_check_test(test_trainer_run SOURCES ${PROJECT_SOURCE_DIR}/trainer/tests/test_trainer_run.c
                    LIBS sl_trainer LABELS "train;nosan" TIMEOUT 400)
endif()
if(TARGET sl_trainer)
  add_test(NAME trainer_resume
           COMMAND bash ${PROJECT_SOURCE_DIR}/trainer/tests/resume.sh $<TARGET_FILE:spikeline>
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp)
  set_tests_properties(trainer_resume PROPERTIES LABELS "train;cli;nosan" TIMEOUT 300)
endif()
# The PyTorch twin: same weights and batch, forward outputs and every gradient compared.
# Skipped visibly (return code 77) where torch is not installed.
if(TARGET sl_trainer_f64)
  add_executable(sl_twin_dump ${PROJECT_SOURCE_DIR}/trainer/twin/sl_twin_dump.c)
  target_link_libraries(sl_twin_dump PRIVATE sl_trainer_f64)
  # the float build: the vectorised kernels the trainer runs on (blocked sums, wide smoothing)
  add_executable(sl_twin_dump_f32 ${PROJECT_SOURCE_DIR}/trainer/twin/sl_twin_dump.c)
  target_link_libraries(sl_twin_dump_f32 PRIVATE sl_trainer)
  find_program(SL_PYTHON_TORCH NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT SL_PYTHON_TORCH)
    find_program(SL_PYTHON_TORCH NAMES python3)
  endif()
  add_test(NAME trainer_torch_twin
           COMMAND sh -c "$<TARGET_FILE:sl_twin_dump> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-int.txt int && $<TARGET_FILE:sl_twin_dump> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-dcls.txt dcls && $<TARGET_FILE:sl_twin_dump> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-interp.txt interp && $<TARGET_FILE:sl_twin_dump> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-membrane.txt membrane && $<TARGET_FILE:sl_twin_dump> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-wide.txt wide && $<TARGET_FILE:sl_twin_dump> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-runs.txt runs && $<TARGET_FILE:sl_twin_dump_f32> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-f32-int.txt int && $<TARGET_FILE:sl_twin_dump_f32> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-f32-wide.txt wide && $<TARGET_FILE:sl_twin_dump_f32> ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-f32-runs.txt runs && ${SL_PYTHON_TORCH} ${PROJECT_SOURCE_DIR}/trainer/twin/sl_twin.py ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-int.txt ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-dcls.txt ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-interp.txt ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-membrane.txt ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-wide.txt ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-runs.txt ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-f32-int.txt ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-f32-wide.txt ${CMAKE_CURRENT_BINARY_DIR}/tmp/twin-f32-runs.txt")
  set_tests_properties(trainer_torch_twin PROPERTIES LABELS "train" SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
# Refusals of bad options, configurations, checkpoints and data through the real CLI, and a
# tiny training run (seconds, so the sanitizer pass trains too): not "nosan".
if(TARGET sl_trainer)
  sl_add_check_test(test_trainer_cli SOURCES ${PROJECT_SOURCE_DIR}/trainer/tests/test_trainer_cli.c
                    LABELS unit train cli TIMEOUT 300)
  add_dependencies(test_trainer_cli spikeline)
endif()
# -DSL_OPENMP=OFF builds (README): the trainer libraries configured and built with OpenMP off
# in a scratch directory (ccache makes a re-run cheap). Not in the sanitizer pass: the same
# sources, a second time.
if(TARGET sl_trainer)
  add_test(NAME trainer_no_openmp
           COMMAND bash ${PROJECT_SOURCE_DIR}/trainer/tests/no_openmp.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp/no-openmp ${CMAKE_C_COMPILER} "${CMAKE_C_COMPILER_LAUNCHER}")
  set_tests_properties(trainer_no_openmp PROPERTIES LABELS "unit;train;nosan" TIMEOUT 600)
endif()
# The trainer under clang's UBSan (pointer-overflow included), tiny trainings over every kernel
# path; gcc's sanitizer pass misses some pointer overflows. Skipped (77) without clang.
if(TARGET sl_trainer)
  add_test(NAME trainer_clang_ubsan
           COMMAND bash ${PROJECT_SOURCE_DIR}/trainer/tests/clang_ubsan.sh ${PROJECT_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/tmp/clang-ubsan "${CMAKE_C_COMPILER_LAUNCHER}")
  set_tests_properties(trainer_clang_ubsan PROPERTIES LABELS "unit;train;nosan" SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
