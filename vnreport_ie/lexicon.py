"""General Vietnamese vocabulary of party and government reporting.

Nothing here is taken from a particular report: these are the closed classes
of the genre (unit nouns, meeting nouns, organisation heads, action verbs).
All entries are lower case; matching lower-cases the text.
"""

from __future__ import annotations

CLASS_UNITS = frozenset({"lớp", "khóa", "lớp học", "khoá"})
MEETING_NOUNS = frozenset({"hội nghị", "hội thảo", "tọa đàm", "toạ đàm", "diễn đàn", "cuộc họp",
                           "buổi sinh hoạt", "buổi nói chuyện", "phiên họp",
                           "buổi tọa đàm", "buổi làm việc", "cuộc tọa đàm", "cuộc hội thảo", "hội thi",
                           "sinh hoạt chuyên đề", "buổi tuyên truyền", "buổi giao lưu", "giao ban"})
# A first word that needs a second one to name a meeting (`cuộc họp`, `buổi sinh hoạt`).
MEETING_PREFIX = frozenset({"cuộc", "buổi", "đợt", "phiên"})
MEETING_SECOND = frozenset({"họp", "sinh hoạt", "nói chuyện", "tọa đàm", "toạ đàm", "hội thảo",
                            "hội nghị", "tuyên truyền", "giao lưu", "làm việc", "đối thoại",
                            "tiếp xúc", "gặp mặt"})
POINT_UNITS = frozenset({"điểm cầu"})
PAPER_UNITS = frozenset({"tham luận", "bài tham luận", "báo cáo tham luận"})
PERSON_UNITS = frozenset({
    "học viên", "cán bộ", "công chức", "viên chức", "đảng viên", "quần chúng", "đoàn viên",
    "hội viên", "người", "đại biểu", "giáo viên", "giảng viên", "học sinh", "sinh viên",
    "chiến sĩ", "cử tri", "thanh niên", "phụ nữ", "nông dân", "cựu chiến binh", "công nhân",
    "người lao động", "báo cáo viên", "tuyên truyền viên", "bí thư", "cấp ủy viên", "trưởng thôn",
    "lãnh đạo", "thành viên", "đồng chí", "người dân", "hộ", "hộ gia đình", "đội viên",
    "cộng tác viên", "y bác sĩ", "nhân viên", "chức sắc", "người có uy tín", "già làng",
    "doanh nhân", "trí thức", "văn nghệ sĩ", "phóng viên", "thí sinh", "tình nguyện viên",
    "kiểm tra viên", "chủ tịch", "phó bí thư", "ủy viên", "uỷ viên",
})
GENERIC_PERSON = frozenset({"học viên", "người", "lượt", "lượt người", "đồng chí", "thành viên", "đại biểu"})
ATTENDANCE = "lượt"
# Units that make a number a measurement, money or a time, never a count of a fact.
NON_COUNT_UNITS = frozenset({
    "%", "phần trăm", "đồng", "tỷ", "tỉ", "triệu", "usd", "km", "m", "m2", "m²", "ha", "héc-ta",
    "tấn", "kg", "giờ", "phút", "giây", "tuổi", "năm", "tháng", "ngày", "tuần", "quý", "lít",
    "mét", "cm", "hecta", "độ", "điểm", "trang", "lần", "số", "tiết", "xu", "nghìn đồng",
    "triệu đồng", "tỷ đồng", "gam",
})
# Function words: a number followed by one of these has no unit noun (`từ 1 đến 5`).
FUNCTION_WORDS = frozenset({
    "đến", "tới", "và", "hoặc", "hay", "cho", "với", "của", "tại", "trong", "trên", "dưới", "từ", "là",
    "có", "được", "bị", "đã", "đang", "sẽ", "thì", "mà", "nên", "như", "về", "theo", "để", "khi", "sau",
    "trước", "vào", "ra", "lên", "xuống", "cùng", "nhưng", "so", "gồm", "thuộc", "nếu", "vì", "do", "bởi",
})
# Nouns after which a number is an ordinal or a label (`đối tượng 4`, `Điều 5`).
ORDINAL_NOUNS = frozenset({
    "số", "thứ", "lần", "lần thứ", "khóa", "khoá", "điều", "khoản", "trang", "tổ", "ấp", "xóm",
    "thôn", "đối tượng", "phòng", "tầng", "phường", "quận", "lô", "đợt", "kỳ", "kì", "cấp",
    "loại", "nhóm", "hạng", "mục", "chương", "phần", "bản", "tờ", "câu", "giai đoạn", "vòng",
    "bậc", "mức", "tiểu đoàn", "trung đoàn", "sư đoàn", "đội", "khu", "khu phố", "buôn", "bản",
    "làng", "thửa", "kilômét", "quốc lộ", "tỉnh lộ", "đường", "trung ương", "hội nghị trung ương",
})
ORG_HEADS = (
    "ban thường vụ", "ban chấp hành", "ban bí thư", "ban tuyên giáo", "ban tổ chức", "ban dân vận",
    "ban nội chính", "ban kinh tế", "ban chỉ đạo", "ban", "bộ chính trị", "bộ", "trường chính trị",
    "trường", "trung tâm chính trị", "trung tâm", "học viện", "ủy ban kiểm tra", "uỷ ban kiểm tra",
    "ủy ban mặt trận tổ quốc", "ủy ban nhân dân", "ủy ban", "uỷ ban", "ubnd", "hđnd",
    "hội đồng nhân dân", "hội đồng", "hội liên hiệp phụ nữ", "hội phụ nữ", "hội nông dân",
    "hội cựu chiến binh", "hội", "đoàn thanh niên", "tỉnh đoàn", "thành đoàn", "huyện đoàn",
    "đoàn", "liên đoàn lao động", "liên đoàn", "mặt trận tổ quốc", "mttq", "sở", "phòng", "cục",
    "chi cục", "tổng cục", "công an", "bộ chỉ huy", "văn phòng", "đảng ủy", "đảng uỷ", "đảng bộ",
    "chi bộ", "tỉnh ủy", "tỉnh uỷ", "thành ủy", "thành uỷ", "huyện ủy", "huyện uỷ", "quận ủy",
    "thị ủy", "thị uỷ", "cấp ủy", "cấp uỷ", "chính phủ", "quốc hội", "thủ tướng chính phủ",
    "thủ tướng", "tòa án", "viện kiểm sát", "báo", "đài", "công ty", "tập đoàn", "ngân hàng",
    "bệnh viện", "liên minh", "hiệp hội", "ủy ban thường vụ quốc hội", "tổng liên đoàn",
    "trung ương đoàn", "ban chỉ huy", "bộ đội biên phòng", "các cấp ủy", "các huyện ủy",
    "các đảng ủy", "các chi bộ", "các trung tâm", "các tổ chức đảng", "các sở", "các ban",
)
# Words that may continue an organisation name after its head.
ORG_CONTINUATION = frozenset({
    "tỉnh", "huyện", "thành phố", "thị xã", "xã", "phường", "thị trấn", "quận", "các", "cấp",
    "cơ sở", "trực thuộc", "nhân dân", "chính trị", "tuyên giáo", "dân vận", "tổ chức",
    "kiểm tra", "thường vụ", "chấp hành", "ủy", "uỷ", "vụ", "giáo", "trị", "ương", "huyện ủy",
    "thành ủy", "đảng ủy", "thị ủy", "quận ủy", "tỉnh ủy", "huyện uỷ", "thành uỷ", "đảng uỷ",
    "khối", "cơ quan", "doanh nghiệp", "quân sự", "biên phòng", "lao động", "phụ nữ", "nông dân",
    "cựu chiến binh", "thanh niên", "cộng sản", "hồ chí minh", "mặt trận", "tổ quốc", "trung ương",
    "đoàn thể", "liên hiệp", "nội chính", "kinh tế", "văn hóa", "giáo dục", "đào tạo", "y tế",
    "nội vụ", "tư pháp", "thông tin", "truyền thông", "ban", "ngành", "địa phương",
    "bồi dưỡng", "chỉ đạo", "quốc gia", "thị", "ủy ban", "đảng", "bộ", "chi", "phát thanh",
    "truyền hình", "điện tử",
})
PLACE_NOUNS = frozenset({"huyện", "thành phố", "thị xã", "xã", "phường", "thị trấn", "quận",
                         "tỉnh", "thôn", "bản", "ấp", "xã, phường", "huyện ủy", "thành ủy",
                         "đảng ủy", "thị ủy", "quận ủy", "chi bộ", "đảng bộ", "đơn vị", "cơ quan",
                         "địa phương", "ngành"})
# Verbs and function words that end a noun phrase.
PHRASE_STOPS = frozenset({
    "đã", "đang", "sẽ", "vừa", "cũng", "tổ chức", "mở", "phối hợp", "chỉ đạo", "triển khai",
    "ban hành", "tiến hành", "thực hiện", "cho biết", "cho", "có", "được", "là", "tham mưu",
    "khai giảng", "bế giảng", "kết nạp", "với", "về", "tại", "trong", "để", "nhằm", "theo",
    "đối với", "của", "do", "gồm", "bao gồm", "như", "thông qua", "tham dự", "tham gia", "dự",
    "học tập", "nhận", "đạt", "kết nối", "thu hút", "phát động", "lãnh đạo", "quán triệt",
    "phổ biến", "hướng dẫn", "xây dựng", "chủ trì", "trao", "tặng", "biểu dương", "khen thưởng",
    "kiểm tra", "giám sát", "thi hành", "đề nghị", "xét", "công nhận", "tuyên truyền", "từ",
    "đến", "trên", "dưới", "sau", "trước", "khi", "nay", "vào", "ra", "lên", "tiếp tục",
    "phát huy", "duy trì", "đánh giá", "bảo đảm", "đảm bảo", "góp phần", "diễn ra", "nêu",
    "thông báo", "tập huấn", "bồi dưỡng", "đào tạo", "mà", "nên", "thì", "hoặc", "đều",
    "hoàn thành", "tổng kết", "sơ kết", "ký", "phê duyệt", "gửi", "nghiên cứu", "biên soạn",
})
# Verbs whose object count is a tally (`kết nạp 120 đảng viên mới`).
ACTIVITY_VERBS = frozenset({
    "kết nạp", "khen thưởng", "kiểm tra", "giám sát", "thi hành kỷ luật", "kỷ luật", "xử lý",
    "phát hiện", "phổ biến", "quán triệt", "ban hành", "biểu dương", "tặng", "trao", "tặng thưởng",
    "xây dựng", "sửa chữa", "hỗ trợ", "thăm", "tiếp nhận", "giải quyết", "phát hành", "đăng tải",
    "đăng", "phát sóng", "biên soạn", "in", "cấp phát", "thành lập", "kiện toàn", "giới thiệu",
    "công nhận", "bổ nhiệm", "điều động", "luân chuyển", "đánh giá", "xếp loại", "tuyên truyền",
    "vận động", "tiếp xúc", "đối thoại", "hoàn thành", "chuyển", "chuyển sinh hoạt", "tiếp",
    "cấp", "trao tặng", "tổ chức", "mở", "triển khai", "xét", "đề nghị", "kiểm điểm", "tặng quà",
    "khởi công", "khánh thành", "bàn giao", "tiếp đón", "thẩm định", "rà soát", "xác minh",
    "thu hồi", "đình chỉ", "cảnh cáo", "khiển trách", "cách chức", "khai trừ", "xóa tên",
    "phát động", "ký kết", "tập huấn", "đào tạo", "bồi dưỡng", "xuất bản", "cung cấp", "lắp đặt",
    "tiếp công dân", "nhận", "đón", "chỉ đạo", "hướng dẫn", "gửi", "lấy ý kiến", "thẩm tra",
})
# Nouns that begin a course name when a count of classes is not given
# (`tổ chức đào tạo, bồi dưỡng cho 250 cán bộ`).
TRAINING_WORDS = frozenset({"đào tạo", "bồi dưỡng", "tập huấn", "học tập", "huấn luyện",
                            "cập nhật kiến thức"})
MEETING_MODIFIERS = frozenset({
    "trực tuyến", "trực tiếp", "toàn tỉnh", "toàn thành phố", "toàn huyện", "toàn quốc",
    "toàn ngành", "cấp tỉnh", "cấp huyện", "cấp xã", "cấp cơ sở", "khoa học", "chuyên đề",
    "báo cáo viên", "giao ban", "điểm", "toàn", "cấp", "tỉnh", "huyện", "xã", "thành phố",
    "quốc gia", "quốc tế", "định kỳ", "mở rộng", "thường kỳ", "chuyên môn", "đối thoại",
    "lấy ý kiến", "kết hợp", "trực tuyến kết hợp trực tiếp", "hybrid", "cấp quốc gia",
    "thường niên", "sơ kết", "tổng kết", "triển khai", "nghiên cứu", "học tập", "quán triệt",
    "tiếp xúc cử tri", "cán bộ chủ chốt",
})
ONLINE = ("trực tuyến", "online", "truyền hình trực tuyến")
IN_PERSON = ("trực tiếp", "tập trung")
DOC_TYPES = ("Nghị quyết", "Chỉ thị", "Kết luận", "Quy định", "Quyết định", "Nghị định",
             "Kế hoạch", "Hướng dẫn", "Thông báo", "Thông tư", "Luật", "Công văn", "Chương trình",
             "Đề án", "Thông tri", "Quy chế", "Pháp lệnh", "Hiến pháp", "Điều lệ", "Chiến lược",
             "Nghị quyết liên tịch", "Thông tư liên tịch", "Chỉ thị liên tịch", "Văn bản")
REVIEW_WORDS = {"sơ kết": "sơ kết", "tổng kết": "tổng kết"}
