// A std::deque that allocates nothing until the first element arrives.
//
// libstdc++'s std::deque allocates its map and a 512-byte node when it is constructed, even
// empty. An association holds several queues that stay empty for most of its life (an idle
// association of 10,000 must stay within a few KiB, see bench/usrsctp_scale_compare.cc), so
// the per-association queues use this wrapper. It forwards the subset of the deque interface
// the engine needs; references stay valid as with std::deque.
#ifndef SCTPCPP_COMMON_LAZY_DEQUE_H_
#define SCTPCPP_COMMON_LAZY_DEQUE_H_

#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

namespace sctp {

template <typename T>
class LazyDeque {
 public:
  bool empty() const { return !queue_ || queue_->empty(); }
  size_t size() const { return queue_ ? queue_->size() : 0; }

  T& front() { return queue_->front(); }
  const T& front() const { return queue_->front(); }
  T& back() { return queue_->back(); }
  const T& back() const { return queue_->back(); }
  T& operator[](size_t i) { return (*queue_)[i]; }
  const T& operator[](size_t i) const { return (*queue_)[i]; }

  void push_back(T value) { Get().push_back(std::move(value)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    return Get().emplace_back(std::forward<Args>(args)...);
  }
  // Frees the storage when the queue runs empty, so an association that goes idle again
  // gives its memory back.
  void pop_front() {
    queue_->pop_front();
    if (queue_->empty()) queue_.reset();
  }
  void clear() { queue_.reset(); }

  using const_iterator = typename std::deque<T>::const_iterator;
  const_iterator begin() const { return queue_ ? queue_->cbegin() : Empty().cbegin(); }
  const_iterator end() const { return queue_ ? queue_->cend() : Empty().cend(); }

 private:
  std::deque<T>& Get() {
    if (!queue_) queue_.emplace();
    return *queue_;
  }
  static const std::deque<T>& Empty() {
    static const std::deque<T> empty;
    return empty;
  }

  std::optional<std::deque<T>> queue_;
};

}  // namespace sctp

#endif  // SCTPCPP_COMMON_LAZY_DEQUE_H_
