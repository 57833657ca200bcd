// Reads the next batches on a thread of their own while the caller encodes the previous ones,
// so that the warehouse's side (PostgreSQL's stream and our parsing of it, or SQLite's steps)
// and the encoder each keep a core busy instead of taking turns.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "scout/column_batch.h"
#include "source/source.h"

namespace scout {

class PrefetchingReader {
 public:
  // `depth` batches circulate between the two threads (reused, never reallocated), so memory is
  // `depth` batches of the query's batch_rows, whatever the export's size.
  PrefetchingReader(BatchReader& reader, const Schema& schema, int depth = 3);
  // Stops the reading thread (cancelling the query if it is still running) and joins it.
  ~PrefetchingReader();
  PrefetchingReader(const PrefetchingReader&) = delete;
  PrefetchingReader& operator=(const PrefetchingReader&) = delete;

  // The next batch of rows, valid until the next call; nullptr after the last one. A reading
  // error is returned here, after the batches read before it.
  Result<const ColumnBatch*> next();
  // Cancels the query; next() then returns the reader's Cancelled status.
  void cancel();

 private:
  void read_loop();

  BatchReader& reader_;
  std::vector<ColumnBatch> batches_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ColumnBatch*> free_, filled_;
  ColumnBatch* lent_ = nullptr;  // the batch the caller holds
  Status error_;
  bool finished_ = false;  // the reading thread is done (end, error or stop)
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace scout
