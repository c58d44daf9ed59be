// release_free_memory: the free pages a long-lived process holds go back to the system.
#include "core/runtime/memory.h"

#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace ddpm;

class TestMemoryRelease : public QObject {
  Q_OBJECT

 private slots:
  void freedHeapPages_goBackToTheSystem() {
    // 96 MB in 64 KB blocks (below glibc's mmap threshold, so they live in the heap), every
    // page touched; then all freed but the last block, which pins the heap's top so that
    // free() alone cannot shrink it: the pages stay resident until they are released.
    constexpr std::size_t kBlock = 64 * 1024, kCount = 1536;
    std::vector<char*> blocks;
    for (std::size_t i = 0; i < kCount; ++i) {
      blocks.push_back(static_cast<char*>(std::malloc(kBlock)));
      QVERIFY(blocks.back());
      std::memset(blocks.back(), int(i), kBlock);
    }
    const long long full = resident_bytes();
    for (std::size_t i = 0; i + 1 < kCount; ++i) std::free(blocks[i]);
    const long long freed = resident_bytes();
    release_free_memory();
    const long long released = resident_bytes();
    std::free(blocks.back());
    qInfo("resident: %.1f MB with the blocks, %.1f MB after free, %.1f MB after release", full / 1e6, freed / 1e6,
          released / 1e6);
    QVERIFY(full > 0);
    // At least 80 % of the 96 MB leaves, whether free() gave some back already or not.
    QVERIFY2(full - released > 0.8 * double(kBlock * kCount), "the freed pages stayed resident");
  }

  void heapAllocated_countsLiveBlocksNotFreedOnes() {
    // 32 MB in 64 KB blocks raise the count by about 32 MB; freeing them (without any
    // release to the system) takes it back down, whatever the allocator keeps.
    constexpr std::size_t kBlock = 64 * 1024, kCount = 512;
    const long long before = heap_allocated_bytes();
    QVERIFY(before > 0);
    std::vector<char*> blocks;
    for (std::size_t i = 0; i < kCount; ++i) {
      blocks.push_back(static_cast<char*>(std::malloc(kBlock)));
      QVERIFY(blocks.back());
      std::memset(blocks.back(), int(i), kBlock);
    }
    const long long held = heap_allocated_bytes();
    for (char* block : blocks) std::free(block);
    const long long after = heap_allocated_bytes();
    const double total = double(kBlock * kCount);
    qInfo("heap allocated: %.1f MB before, %.1f MB holding, %.1f MB after free", before / 1e6, held / 1e6, after / 1e6);
    QVERIFY2(std::abs(double(held - before) - total) < 0.05 * total, "the live blocks were not counted");
    QVERIFY2(std::abs(double(after - before)) < 0.05 * total, "freed blocks were still counted");
  }
};

QTEST_GUILESS_MAIN(TestMemoryRelease)
#include "test_memory_release.moc"
