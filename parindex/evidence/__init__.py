"""Evidence: the register of documents (tài liệu kiểm chứng), reading documents, document
numbers (số ký hiệu), and the pre-submission check."""
