"""Product/work catalogs (Danh mục sản phẩm/công việc) of the demo agencies.

Shapes:

    PRODUCTS_BY_AGENCY = {
        agency_code: [
            {"code": "SNV-001",                  # agency code + 3-digit number, unique
             "name": str,                        # NFC, except NFD_ITEM (deliberately NFD)
             "unit": str,                        # output unit: "văn bản", "hồ sơ", "cuộc", ...
             "positions": [job position code, ...],  # from job_positions; may be empty
             "group": 1..5,                      # complexity group N1..N5
             "coefficient": "1.00",              # decimal string > 0 (standard units)
             "is_standard": bool,                # exactly one per agency, coefficient "1.00"
             "standard_minutes": int | None,     # estimated minutes for one product
             "evidence": str},                   # what proves the product was delivered
            ...
        ],
        ...
    }
    PLANTED_DUPLICATES = [[(agency_code, item_code), ...], ...]   # near-duplicate groups
    UNRELATED_LOOKALIKES = [((agency_code, item_code), (agency_code, item_code)), ...]
    NFD_ITEM = (agency_code, item_code)

Complexity groups follow the implementers' reading of the MOHA handbook (notes §8.2):
N1 simple/repetitive/support (0.5-2), N2 regular professional work (2-10 and budget
estimates), N3 thematic reports and specialised advice (8-25), N4 legal documents,
projects and appraisals (20-76), N5 strategic, province-level (50-80).

``standard_minutes`` is only given for groups N1-N2: coefficient x the agency's minutes
for its standard product, rounded to 5 minutes. Larger products are not time-boxed.

Ground truth for the duplicate finder: apart from PLANTED_DUPLICATES, product names are
kept lexically distinct across agencies (different subject matter), and the pairs in
UNRELATED_LOOKALIKES share words on purpose but are different products. The abbreviations the
names use are the matcher's own table (``catalog_pages.consolidation.vocabulary``).
"""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

# --- Evidence (minh chứng) --------------------------------------------------------------
EV_VB = "Số, ký hiệu văn bản trên hệ thống quản lý văn bản"
EV_VT = "Sổ đăng ký văn bản đến, văn bản đi trên hệ thống quản lý văn bản"
EV_LT = "Mục lục hồ sơ, biên bản giao nộp tài liệu vào Lưu trữ cơ quan"
EV_BC = "Số, ký hiệu báo cáo và ngày gửi trên hệ thống quản lý văn bản"
EV_HN = "Giấy mời, danh sách đại biểu, biên bản hoặc thông báo kết luận hội nghị"
EV_TTHC = "Mã hồ sơ trên Hệ thống thông tin giải quyết thủ tục hành chính tỉnh"
EV_TD = "Báo cáo, văn bản thẩm định đã ký số kèm hồ sơ trình"
EV_DT = "Dự thảo, tờ trình và phiếu trình lãnh đạo trên hệ thống quản lý văn bản"
EV_QD = "Số, ký hiệu quyết định đã ban hành"
EV_KH = "Số, ký hiệu kế hoạch đã ban hành"
EV_KT = "Quyết định kiểm tra, biên bản làm việc và thông báo kết quả kiểm tra"
EV_TT = "Quyết định thanh tra, biên bản, báo cáo kết quả và kết luận thanh tra"
EV_TCD = "Sổ tiếp công dân trên Hệ thống thông tin quốc gia về tiếp công dân"
EV_DON = "Sổ theo dõi đơn và phiếu đề xuất xử lý đơn"
EV_NS = "Dự toán, thuyết minh và quyết định giao dự toán"
EV_KTOAN = "Chứng từ, sổ kế toán trên phần mềm kế toán"
EV_DA = "Đề án, phương án, tờ trình và văn bản phê duyệt của cấp có thẩm quyền"
EV_CSDL = "Nhật ký cập nhật trên cơ sở dữ liệu chuyên ngành"
EV_BB = "Biên bản có chữ ký của các bên liên quan"
EV_HS = "Hồ sơ và văn bản kết quả lưu tại bộ phận chuyên môn"

# A row is (number, name, output unit, positions separated by spaces, group, coefficient,
# evidence). The item code is f"{agency}-{number:03d}".
_Row = tuple[int, str, str, str, int, str, str]

# --- Sở Nội vụ ---------------------------------------------------------------------------
_SNV: list[_Row] = [
    (1, "Văn bản hành chính thông thường (công văn, tờ trình, thông báo)", "văn bản",
     "CV-TCBM CV-CCVC CV-XDCQ CV-TH", 1, "1.00", EV_VB),
    (2, "Văn bản đến được tiếp nhận, vào sổ và chuyển xử lý", "văn bản",
     "HT-VT", 1, "0.50", EV_VT),
    (3, "Hồ sơ công việc được lập, chỉnh lý và nộp lưu vào Lưu trữ cơ quan", "hồ sơ",
     "HT-LT", 1, "0.80", EV_LT),
    (4, "Báo cáo tháng định kỳ về tình hình thực hiện nhiệm vụ", "báo cáo",
     "CV-TH", 2, "4.00", EV_BC),
    (5, "Tổ chức hội nghị, cuộc họp chuyên đề", "cuộc",
     "CV-TH HT-HCTH", 1, "1.60", EV_HN),
    (6, "Báo cáo tổng kết công tác nội vụ năm và phương hướng nhiệm vụ năm sau", "báo cáo",
     "CV-TH LD-TP", 3, "20.00", EV_BC),
    (7, "Hồ sơ thẩm định đề án vị trí việc làm và cơ cấu ngạch công chức", "hồ sơ",
     "CV-TCBM", 3, "16.00", EV_TD),
    (8, "Dự thảo quyết định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức "
        "của cơ quan chuyên môn", "dự thảo",
     "CV-TCBM", 4, "40.00", EV_DT),
    (9, "Phương án giao biên chế công chức hằng năm cho các cơ quan, tổ chức hành chính",
     "phương án", "CV-TCBM LD-TP", 4, "48.00", EV_DA),
    (10, "Hồ sơ thẩm định thành lập, tổ chức lại, giải thể đơn vị sự nghiệp công lập",
     "hồ sơ", "CV-TCBM", 4, "30.00", EV_TD),
    (11, "Hồ sơ cấp giấy phép thành lập và công nhận điều lệ quỹ xã hội, quỹ từ thiện",
     "hồ sơ", "CV-TCBM", 3, "12.00", EV_TTHC),
    (12, "Hồ sơ tuyển dụng, tiếp nhận vào công chức được thẩm định", "hồ sơ",
     "CV-CCVC", 2, "3.00", EV_TD),
    (13, "Kế hoạch tổ chức thi nâng ngạch công chức", "kế hoạch",
     "CV-CCVC", 3, "24.00", EV_KH),
    (14, "Hồ sơ nâng bậc lương thường xuyên, nâng bậc lương trước thời hạn", "hồ sơ",
     "CV-CCVC", 1, "1.50", EV_HS),
    (15, "Hồ sơ bổ nhiệm, bổ nhiệm lại công chức lãnh đạo, quản lý thuộc thẩm quyền "
         "Chủ tịch UBND tỉnh", "hồ sơ",
     "CV-CCVC", 3, "10.00", EV_TD),
    (16, "Dữ liệu công chức được cập nhật lên Cơ sở dữ liệu quốc gia về cán bộ, công chức, "
         "viên chức", "hồ sơ",
     "CV-CCVC", 1, "0.50", EV_CSDL),
    (17, "Báo cáo kết quả đánh giá, xếp loại chất lượng công chức năm toàn tỉnh", "báo cáo",
     "CV-CCVC LD-TP", 4, "36.00", EV_BC),
    (18, "Hồ sơ thẩm định thành lập, sáp nhập thôn, tổ dân phố", "hồ sơ",
     "CV-XDCQ", 3, "14.00", EV_TD),
    (19, "Báo cáo tình hình thi hành Luật Thực hiện dân chủ ở cơ sở", "báo cáo",
     "CV-XDCQ", 2, "6.00", EV_BC),
    (20, "Văn bản hướng dẫn tổ chức bầu cử trưởng thôn, tổ trưởng tổ dân phố", "văn bản",
     "CV-XDCQ", 2, "5.00", EV_VB),
    (21, "Hồ sơ giải quyết chế độ, chính sách đối với cán bộ, công chức cấp xã dôi dư "
         "sau sắp xếp", "hồ sơ",
     "CV-XDCQ CV-CCVC", 2, "2.50", EV_HS),
    (22, "Đề án chuyên đề về sắp xếp tổ chức bộ máy trình Ban Thường vụ Tỉnh ủy", "đề án",
     "CV-TCBM LD-TP LD-PGD", 5, "70.00", EV_DA),
    (23, "Chứng từ thanh toán lương, phụ cấp của cơ quan được lập và kiểm soát",
     "bộ chứng từ", "HT-KT", 1, "0.80", EV_KTOAN),
]  # fmt: skip

# --- Sở Tài chính ------------------------------------------------------------------------
_STC: list[_Row] = [
    # Same standard product as SNV-001, written with abbreviations (planted duplicate).
    (1, "VB hành chính thông thường (CV, TTr, TB)", "văn bản",
     "CV-NS CV-DT CV-TH", 1, "1.00", EV_VB),
    (2, "Báo cáo công tác cải cách hành chính định kỳ", "báo cáo",
     "CV-TH", 2, "5.00", EV_BC),
    (3, "Báo cáo thẩm định dự án đầu tư công nhóm B, nhóm C", "báo cáo",
     "CV-DT", 4, "45.00", EV_TD),
    (4, "Báo cáo thẩm định chủ trương đầu tư chương trình, dự án sử dụng vốn ngân sách tỉnh",
     "báo cáo", "CV-DT", 4, "40.00", EV_TD),
    (5, "Dự thảo kế hoạch đầu tư công trung hạn của tỉnh", "dự thảo",
     "CV-DT LD-TP LD-PGD", 5, "80.00", EV_DT),
    (6, "Dự toán thu, chi ngân sách địa phương năm trình Hội đồng nhân dân tỉnh", "dự toán",
     "CV-NS LD-TP", 5, "75.00", EV_NS),
    (7, "Báo cáo thẩm tra quyết toán ngân sách của đơn vị dự toán cấp I", "báo cáo",
     "CV-NS", 3, "18.00", EV_TD),
    (8, "Thông báo thẩm định quyết toán vốn đầu tư dự án hoàn thành", "thông báo",
     "CV-DT", 3, "20.00", EV_TD),
    (9, "Văn bản bổ sung, điều chỉnh dự toán ngân sách cho cơ quan, đơn vị", "văn bản",
     "CV-NS", 2, "3.00", EV_VB),
    (10, "Báo cáo tình hình thực hiện dự toán thu, chi ngân sách quý", "báo cáo",
     "CV-NS", 2, "8.00", EV_BC),
    (11, "BC kết quả thực hiện Chương trình hành động của UBND tỉnh", "báo cáo",
     "CV-TH", 3, "12.00", EV_BC),
    (12, "Hồ sơ thẩm định phương án giá hàng hóa, dịch vụ do Nhà nước định giá", "hồ sơ",
     "CV-NS", 3, "16.00", EV_TD),
    (13, "Quyết định giao, điều chuyển, thanh lý tài sản công", "quyết định",
     "CV-NS", 2, "4.00", EV_QD),
    (14, "Hồ sơ thẩm định phương án sắp xếp lại, xử lý cơ sở nhà, đất dôi dư sau sắp xếp",
     "hồ sơ", "CV-NS", 4, "24.00", EV_TD),
    (15, "Báo cáo tiến độ giải ngân vốn đầu tư công", "báo cáo",
     "CV-DT", 2, "3.00", EV_BC),
    (16, "Cuộc kiểm tra công tác quản lý, sử dụng ngân sách tại cơ quan, đơn vị", "cuộc",
     "CV-NS", 3, "20.00", EV_KT),
    (17, "Văn bản tham gia ý kiến về nguồn vốn và khả năng cân đối vốn", "văn bản",
     "CV-DT CV-NS", 2, "2.50", EV_VB),
    (18, "Báo cáo thẩm định kế hoạch lựa chọn nhà thầu", "báo cáo",
     "CV-DT", 3, "10.00", EV_TD),
    (19, "Báo cáo tài chính và báo cáo quyết toán năm của cơ quan", "báo cáo",
     "HT-KT", 2, "10.00", EV_KTOAN),
    (20, "Phiếu thu, phiếu chi tiền mặt được lập và ghi sổ quỹ", "phiếu",
     "HT-TQ", 1, "0.50", EV_KTOAN),
]  # fmt: skip

# --- Sở Tư pháp --------------------------------------------------------------------------
_STP: list[_Row] = [
    (1, "Văn bản góp ý dự thảo văn bản của cơ quan, đơn vị khác", "văn bản",
     "CV-PC CV-HCTP", 1, "1.00", EV_VB),
    (2, "Báo cáo thẩm định dự thảo quyết định quy phạm pháp luật của Ủy ban nhân dân tỉnh",
     "báo cáo", "CV-PC", 4, "30.00", EV_TD),
    (3, "Báo cáo thẩm định dự thảo nghị quyết quy phạm pháp luật của Hội đồng nhân dân "
        "tỉnh", "báo cáo",
     "CV-PC LD-TP", 4, "76.00", EV_TD),
    (4, "Kết luận kiểm tra văn bản quy phạm pháp luật do cấp xã ban hành", "kết luận",
     "CV-PC", 3, "10.00", EV_KT),
    (5, "Báo cáo kết quả hệ thống hóa văn bản quy phạm pháp luật định kỳ", "báo cáo",
     "CV-PC", 4, "36.00", EV_BC),
    (6, "Kế hoạch triển khai nhiệm vụ trọng tâm năm", "kế hoạch",
     "CV-TH", 3, "12.00", EV_KH),
    (7, "Hồ sơ cấp Phiếu lý lịch tư pháp", "hồ sơ",
     "CV-HCTP", 1, "0.60", EV_TTHC),
    (8, "Hồ sơ bổ nhiệm, miễn nhiệm công chứng viên", "hồ sơ",
     "CV-HCTP", 2, "4.00", EV_TTHC),
    (9, "Hồ sơ đăng ký hoạt động của tổ chức hành nghề luật sư", "hồ sơ",
     "CV-HCTP", 2, "3.00", EV_TTHC),
    (10, "Hồ sơ đăng ký hoạt động doanh nghiệp đấu giá tài sản", "hồ sơ",
     "CV-HCTP", 2, "3.00", EV_TTHC),
    (11, "Cuộc kiểm tra hoạt động công chứng, luật sư, đấu giá tài sản", "cuộc",
     "CV-HCTP", 3, "16.00", EV_KT),
    (12, "Hồ sơ giải quyết yêu cầu bồi thường trong hoạt động quản lý hành chính", "hồ sơ",
     "CV-HCTP", 4, "24.00", EV_HS),
    (13, "Hội nghị phổ biến, giáo dục pháp luật cho cán bộ, công chức", "hội nghị",
     "CV-PC", 2, "6.00", EV_HN),
    (14, "Đề cương giới thiệu luật, pháp lệnh mới ban hành", "đề cương",
     "CV-PC", 3, "8.00", EV_VB),
    (15, "Báo cáo công tác theo dõi tình hình thi hành pháp luật năm", "báo cáo",
     "CV-PC", 3, "14.00", EV_BC),
    (16, "Báo cáo công tác quản lý nhà nước về xử lý vi phạm hành chính", "báo cáo",
     "CV-PC", 2, "6.00", EV_BC),
    (17, "Văn bản trả lời vướng mắc pháp lý của doanh nghiệp", "văn bản",
     "CV-PC", 2, "2.50", EV_VB),
    (18, "Hồ sơ đánh giá, công nhận cấp xã đạt chuẩn tiếp cận pháp luật", "hồ sơ",
     "CV-PC", 2, "3.00", EV_TD),
    (19, "Văn bản đi được đăng ký, đóng dấu và phát hành đúng quy định", "văn bản",
     "HT-VT", 1, "0.50", EV_VT),
]  # fmt: skip

# --- Sở Xây dựng -------------------------------------------------------------------------
_SXD: list[_Row] = [
    (1, "Văn bản hướng dẫn, trả lời về quản lý hoạt động xây dựng", "văn bản",
     "CV-XD", 1, "1.00", EV_VB),
    (2, "Thông báo kết quả thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng",
     "thông báo", "CV-XD LD-TP", 4, "40.00", EV_TD),
    (3, "Thông báo kết quả thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
     "thông báo", "CV-XD", 3, "20.00", EV_TD),
    (4, "Hồ sơ cấp giấy phép xây dựng công trình", "hồ sơ",
     "CV-XD", 2, "6.00", EV_TTHC),
    (5, "Hồ sơ cấp chứng chỉ năng lực hoạt động xây dựng", "hồ sơ",
     "CV-XD", 2, "4.00", EV_TTHC),
    (6, "Cuộc kiểm tra công tác nghiệm thu công trình xây dựng", "cuộc",
     "CV-XD", 3, "16.00", EV_KT),
    (7, "Báo cáo thẩm định nhiệm vụ và đồ án quy hoạch phân khu", "báo cáo",
     "CV-XD LD-TP", 4, "50.00", EV_TD),
    (8, "Văn bản thỏa thuận quy hoạch, kiến trúc công trình", "văn bản",
     "CV-XD", 2, "2.00", EV_VB),
    (9, "Báo cáo tình hình nhà ở và thị trường bất động sản quý", "báo cáo",
     "CV-XD", 2, "8.00", EV_BC),
    (10, "Hồ sơ thẩm định giá bán, giá thuê mua nhà ở xã hội", "hồ sơ",
     "CV-XD", 3, "14.00", EV_TD),
    (11, "Hồ sơ cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ",
     "hồ sơ", "CV-XD", 1, "1.20", EV_TTHC),
    (12, "Hồ sơ cấp giấy phép thi công công trình trên đường bộ đang khai thác", "hồ sơ",
     "CV-XD", 2, "2.50", EV_TTHC),
    (13, "Kế hoạch bảo trì kết cấu hạ tầng giao thông đường bộ năm", "kế hoạch",
     "CV-XD", 4, "30.00", EV_KH),
    (14, "Dự thảo QĐ cá biệt trình UBND tỉnh ban hành", "dự thảo",
     "CV-XD CV-TH", 2, "5.00", EV_DT),
    (15, "Báo cáo giải quyết sự cố công trình xây dựng", "báo cáo",
     "CV-XD", 3, "12.00", EV_BC),
    (16, "Công bố giá vật liệu xây dựng và chỉ số giá xây dựng hằng tháng", "kỳ công bố",
     "CV-XD", 3, "10.00", EV_VB),
    (17, "Hồ sơ cấp giấy phép kinh doanh vận tải bằng xe ô tô", "hồ sơ",
     "CV-XD", 1, "0.80", EV_TTHC),
    (18, "Báo cáo định kỳ quý về công tác quản lý chất lượng công trình xây dựng",
     "báo cáo", "CV-XD", 2, "6.00", EV_BC),
]  # fmt: skip

# --- Sở Y tế -----------------------------------------------------------------------------
_SYT: list[_Row] = [
    (1, "Hồ sơ cấp, cấp lại chứng chỉ hành nghề khám bệnh, chữa bệnh", "hồ sơ",
     "CV-YT", 1, "1.00", EV_TTHC),
    (2, "Báo cáo định kỳ hằng tháng về tình hình thực hiện nhiệm vụ", "báo cáo",
     "CV-TH", 2, "4.00", EV_BC),
    (3, "Hồ sơ cấp giấy phép hoạt động khám bệnh, chữa bệnh", "hồ sơ",
     "CV-YT", 2, "6.00", EV_TTHC),
    (4, "Hồ sơ cấp chứng chỉ hành nghề dược", "hồ sơ",
     "CV-YT", 1, "0.80", EV_TTHC),
    (5, "Hồ sơ cấp giấy chứng nhận đủ điều kiện kinh doanh dược", "hồ sơ",
     "CV-YT", 2, "3.00", EV_TTHC),
    (6, "Cuộc kiểm tra, đánh giá chất lượng bệnh viện năm", "cuộc",
     "CV-YT", 3, "20.00", EV_KT),
    (7, "Kế hoạch phòng, chống dịch bệnh truyền nhiễm năm", "kế hoạch",
     "CV-YT LD-TP", 4, "24.00", EV_KH),
    (8, "Báo cáo tình hình dịch bệnh truyền nhiễm hằng tuần", "báo cáo",
     "CV-YT", 1, "1.50", EV_BC),
    (9, "Dự toán ngân sách nhà nước năm của cơ quan", "dự toán",
     "CV-NS", 2, "20.00", EV_NS),
    (10, "Phương án phân bổ kinh phí chi thường xuyên cho các đơn vị sự nghiệp y tế "
         "trực thuộc", "phương án",
     "CV-NS", 4, "30.00", EV_NS),
    (11, "Kế hoạch mua sắm thuốc, vật tư y tế tập trung cấp tỉnh", "kế hoạch",
     "CV-YT CV-NS", 3, "16.00", EV_KH),
    (12, "Hồ sơ tiếp nhận đối tượng vào cơ sở trợ giúp xã hội", "hồ sơ",
     "CV-BTXH", 1, "1.20", EV_HS),
    (13, "Kế hoạch thực hiện chương trình bảo vệ, chăm sóc trẻ em năm", "kế hoạch",
     "CV-BTXH", 3, "12.00", EV_KH),
    (14, "Báo cáo công tác dân số và phát triển năm", "báo cáo",
     "CV-YT", 3, "10.00", EV_BC),
    (15, "Đề án nâng cao chất lượng dân số tỉnh Thanh An giai đoạn 2026 - 2030", "đề án",
     "CV-YT LD-CCT", 5, "60.00", EV_DA),
    (16, "Cuộc kiểm tra an toàn thực phẩm tại cơ sở sản xuất, kinh doanh", "cuộc",
     "CV-YT", 3, "10.00", EV_KT),
    (17, "Hồ sơ cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "hồ sơ",
     "CV-YT", 1, "1.50", EV_TTHC),
    (18, "Văn bản chỉ đạo chuyên môn gửi các cơ sở y tế", "văn bản",
     "CV-YT", 1, "1.20", EV_VB),
    (19, "Báo cáo tình hình thực hiện bảo hiểm y tế toàn dân", "báo cáo",
     "CV-YT", 2, "5.00", EV_BC),
]  # fmt: skip

# --- Sở Giáo dục và Đào tạo --------------------------------------------------------------
_SGDDT: list[_Row] = [
    (1, "Công văn hướng dẫn chuyên môn gửi các cơ sở giáo dục", "văn bản",
     "CV-GD", 1, "1.00", EV_VB),
    (2, "Dự thảo Quyết định cá biệt trình UBND tỉnh ban hành", "dự thảo",
     "CV-GD CV-TH", 2, "5.00", EV_DT),
    (3, "VB đến được tiếp nhận, vào sổ, chuyển xử lý", "văn bản",
     "HT-VT", 1, "0.50", EV_VT),
    (4, "Dự toán NSNN năm của cơ quan", "dự toán",
     "CV-NS", 2, "20.00", EV_NS),
    (5, "Kế hoạch tổ chức Kỳ thi tốt nghiệp trung học phổ thông cấp tỉnh", "kế hoạch",
     "CV-GD LD-TP LD-PGD", 5, "60.00", EV_KH),
    (6, "Kế hoạch tổ chức kỳ thi chọn học sinh giỏi cấp tỉnh", "kế hoạch",
     "CV-GD", 4, "30.00", EV_KH),
    (7, "Quyết định công nhận trường đạt chuẩn quốc gia", "quyết định",
     "CV-GD", 3, "10.00", EV_QD),
    (8, "Cuộc kiểm tra chuyên môn tại cơ sở giáo dục", "cuộc",
     "CV-GD", 3, "12.00", EV_KT),
    (9, "Báo cáo đánh giá ngoài cơ sở giáo dục", "báo cáo",
     "CV-GD", 4, "24.00", EV_BC),
    (10, "Hồ sơ cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "hồ sơ",
     "CV-GD", 1, "0.50", EV_TTHC),
    (11, "Hồ sơ chỉnh sửa nội dung văn bằng, chứng chỉ", "hồ sơ",
     "CV-GD", 1, "1.20", EV_TTHC),
    (12, "Hồ sơ tuyển dụng, điều động viên chức ngành giáo dục", "hồ sơ",
     "CV-CCVC", 2, "3.00", EV_HS),
    (13, "Phương án phân bổ chỉ tiêu tuyển sinh lớp 10 trung học phổ thông công lập",
     "phương án", "CV-GD", 4, "30.00", EV_DA),
    (14, "Hồ sơ đề nghị công nhận đạt chuẩn phổ cập giáo dục, xóa mù chữ cấp tỉnh",
     "hồ sơ", "CV-GD", 4, "24.00", EV_HS),
    (15, "Hồ sơ cho phép trường tư thục hoạt động giáo dục", "hồ sơ",
     "CV-GD", 3, "14.00", EV_TTHC),
    (16, "Báo cáo thống kê giáo dục đầu năm học, cuối năm học", "báo cáo",
     "CV-GD", 2, "6.00", EV_BC),
    (17, "Văn bản tham mưu chế độ, chính sách đối với nhà giáo", "văn bản",
     "CV-CCVC", 2, "2.50", EV_VB),
    (18, "Hồ sơ đề nghị khen thưởng cuối năm học cho tập thể, cá nhân ngành giáo dục",
     "hồ sơ", "CV-CCVC", 2, "3.00", EV_HS),
]  # fmt: skip

# --- Sở Nông nghiệp và Môi trường --------------------------------------------------------
_SNNMT: list[_Row] = [
    (1, "Văn bản hướng dẫn chuyên môn về nông nghiệp và môi trường", "văn bản",
     "CV-NN CV-TNMT", 1, "1.00", EV_VB),
    (2, "Dự thảo quyết định cá biệt trình Ủy ban nhân dân tỉnh ban hành", "dự thảo",
     "CV-TNMT CV-NN CV-TH", 2, "5.00", EV_DT),
    # "Uỷ" uses the new-style tone placement (still NFC): U + ỷ instead of Ủ + y.
    (3, "Báo cáo kết quả thực hiện Chương trình hành động của Uỷ ban nhân dân tỉnh",
     "báo cáo", "CV-TH", 3, "12.00", EV_BC),
    (4, "Hồ sơ giao đất, cho thuê đất, chuyển mục đích sử dụng đất đối với tổ chức",
     "hồ sơ", "CV-TNMT", 3, "14.00", EV_TTHC),
    (5, "Hồ sơ thẩm định phương án bồi thường, hỗ trợ, tái định cư", "hồ sơ",
     "CV-TNMT", 4, "24.00", EV_TD),
    (6, "Báo cáo thẩm định hồ sơ điều chỉnh quy hoạch sử dụng đất cấp tỉnh", "báo cáo",
     "CV-TNMT LD-TP", 4, "40.00", EV_TD),
    (7, "Dự thảo bảng giá đất điều chỉnh, bổ sung trình Hội đồng nhân dân tỉnh", "dự thảo",
     "CV-TNMT LD-TP LD-PGD", 5, "70.00", EV_DT),
    (8, "Hồ sơ thẩm định báo cáo đánh giá tác động môi trường", "hồ sơ",
     "CV-TNMT", 4, "30.00", EV_TD),
    (9, "Hồ sơ cấp giấy phép môi trường", "hồ sơ",
     "CV-TNMT", 3, "16.00", EV_TTHC),
    (10, "Quyết định công nhận xã đạt chuẩn nông thôn mới", "quyết định",
     "CV-NN", 3, "10.00", EV_QD),
    (11, "Cuộc kiểm tra việc chấp hành pháp luật về bảo vệ môi trường tại cơ sở", "cuộc",
     "CV-TNMT", 3, "12.00", EV_KT),
    (12, "Hồ sơ cấp giấy phép khai thác, sử dụng nước mặt", "hồ sơ",
     "CV-TNMT", 3, "10.00", EV_TTHC),
    (13, "Thông báo tình hình sinh vật gây hại cây trồng định kỳ", "thông báo",
     "CV-NN", 1, "1.50", EV_VB),
    (14, "Kế hoạch sản xuất nông nghiệp vụ Đông Xuân, vụ Hè Thu", "kế hoạch",
     "CV-NN", 3, "14.00", EV_KH),
    (15, "Hồ sơ cấp giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật", "hồ sơ",
     "CV-NN", 2, "3.00", EV_TTHC),
    (16, "Hồ sơ xử lý vụ vi phạm hành chính trong lĩnh vực lâm nghiệp", "hồ sơ",
     "CV-NN", 2, "5.00", EV_HS),
    (17, "Phương án phòng cháy, chữa cháy rừng mùa khô", "phương án",
     "CV-NN LD-CCT", 3, "16.00", EV_DA),
    (18, "Báo cáo theo dõi diễn biến rừng và đất lâm nghiệp năm", "báo cáo",
     "CV-NN", 3, "12.00", EV_BC),
    (19, "Hồ sơ thu hồi đất do vi phạm pháp luật về đất đai", "hồ sơ",
     "CV-TNMT", 3, "12.00", EV_HS),
]  # fmt: skip

# --- Văn phòng Ủy ban nhân dân tỉnh ------------------------------------------------------
_VPUBND: list[_Row] = [
    (1, "Phiếu trình giải quyết công việc", "phiếu trình",
     "CV-TH", 1, "1.00", EV_VB),
    # DELIBERATELY stored in NFD (decomposed diacritics) to test Unicode normalisation in
    # the duplicate finder; it is the same product as SNV-005. See NFD_ITEM.
    (2, unicodedata.normalize("NFD", "Tổ chức hội nghị, cuộc họp chuyên đề"), "cuộc",
     "CV-TH HT-HCTH", 1, "1.60", EV_HN),
    (3, "Dự thảo thông báo kết luận của Chủ tịch, Phó Chủ tịch Ủy ban nhân dân tỉnh",
     "dự thảo", "CV-TH", 2, "3.00", EV_DT),
    (4, "Dự thảo chương trình công tác năm của Ủy ban nhân dân tỉnh", "dự thảo",
     "CV-TH LD-TP", 4, "30.00", EV_DT),
    (5, "Báo cáo tình hình kinh tế - xã hội tháng phục vụ phiên họp thường kỳ", "báo cáo",
     "CV-TH", 3, "16.00", EV_BC),
    (6, "Báo cáo kinh tế - xã hội năm trình kỳ họp Hội đồng nhân dân tỉnh", "báo cáo",
     "CV-TH LD-TP LD-PCVP", 5, "80.00", EV_BC),
    (7, "Văn bản truyền đạt ý kiến chỉ đạo của lãnh đạo Ủy ban nhân dân tỉnh", "văn bản",
     "CV-TH", 1, "1.20", EV_VB),
    (8, "Lịch công tác tuần của lãnh đạo Ủy ban nhân dân tỉnh", "lịch",
     "CV-TH HT-HCTH", 1, "2.00", EV_VB),
    (9, "Báo cáo đôn đốc, theo dõi việc thực hiện nhiệm vụ Chủ tịch Ủy ban nhân dân tỉnh "
        "giao", "báo cáo",
     "CV-TH", 2, "6.00", EV_BC),
    (10, "Dự thảo quyết định công bố danh mục thủ tục hành chính", "dự thảo",
     "CV-KSTT", 2, "4.00", EV_DT),
    (11, "Báo cáo tình hình, kết quả kiểm soát thủ tục hành chính quý", "báo cáo",
     "CV-KSTT", 2, "5.00", EV_BC),
    (12, "Hồ sơ được tiếp nhận, số hóa tại Trung tâm Phục vụ hành chính công tỉnh", "hồ sơ",
     "CV-KSTT", 1, "0.50", EV_TTHC),
    (13, "Văn bản xử lý phản ánh, kiến nghị của người dân, doanh nghiệp về quy định "
         "hành chính", "văn bản",
     "CV-KSTT", 2, "2.50", EV_VB),
    (14, "Báo cáo chuyên đề về công tác nội chính phục vụ lãnh đạo tỉnh", "báo cáo",
     "CV-TH", 3, "12.00", EV_BC),
    (15, "Tờ trình, báo cáo của Đảng ủy Ủy ban nhân dân tỉnh trình Ban Thường vụ Tỉnh ủy",
     "tờ trình", "CV-TH LD-TP", 4, "30.00", EV_DT),
    (16, "Văn bản mật được quản lý, giao nhận theo quy định bảo vệ bí mật nhà nước",
     "văn bản", "HT-VT", 1, "0.80", EV_VT),
    (17, "Buổi phục vụ lễ tân, khánh tiết hội nghị và tiếp khách của Ủy ban nhân dân tỉnh",
     "buổi", "HT-QTCS", 1, "1.50", EV_HS),
    (18, "Hồ sơ sửa chữa, bảo dưỡng tài sản, trang thiết bị công sở", "hồ sơ",
     "HT-QTCS", 1, "1.20", EV_KTOAN),
]  # fmt: skip

# --- Thanh tra tỉnh ----------------------------------------------------------------------
_TTT: list[_Row] = [
    (1, "Đơn thư được tiếp nhận, phân loại và đề xuất xử lý", "đơn",
     "CV-TCD CV-TTV", 1, "1.00", EV_DON),
    (2, "BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH ĐỊNH KỲ", "báo cáo",
     "CV-TH", 2, "5.00", EV_BC),
    (3, "Buổi tiếp công dân định kỳ, đột xuất", "buổi",
     "CV-TCD", 2, "3.00", EV_TCD),
    (4, "Cuộc thanh tra hành chính theo kế hoạch", "cuộc",
     "CV-TTV LD-TP", 5, "80.00", EV_TT),
    (5, "Cuộc thanh tra đột xuất theo chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh", "cuộc",
     "CV-TTV LD-TP", 5, "70.00", EV_TT),
    (6, "Dự thảo kết luận thanh tra", "dự thảo",
     "CV-TTV", 4, "40.00", EV_TT),
    (7, "Kế hoạch thanh tra năm của tỉnh", "kế hoạch",
     "CV-TTV LD-PCTTR", 4, "30.00", EV_KH),
    (8, "Báo cáo kết quả xác minh nội dung khiếu nại", "báo cáo",
     "CV-TTV", 4, "36.00", EV_TT),
    (9, "Báo cáo kết quả xác minh nội dung tố cáo", "báo cáo",
     "CV-TTV", 4, "36.00", EV_TT),
    (10, "Dự thảo quyết định giải quyết khiếu nại lần hai", "dự thảo",
     "CV-TTV", 4, "24.00", EV_DT),
    (11, "Văn bản hướng dẫn, trả lời đơn không thuộc thẩm quyền", "văn bản",
     "CV-TCD", 1, "0.80", EV_DON),
    (12, "Cuộc kiểm tra, đôn đốc thực hiện kết luận, kiến nghị sau thanh tra", "cuộc",
     "CV-TTV", 3, "16.00", EV_KT),
    (13, "Hồ sơ xác minh tài sản, thu nhập của người có nghĩa vụ kê khai", "hồ sơ",
     "CV-TTV", 3, "20.00", EV_TT),
    (14, "Báo cáo công tác phòng, chống tham nhũng, tiêu cực quý", "báo cáo",
     "CV-TTV", 2, "6.00", EV_BC),
    (15, "Bản kê khai tài sản, thu nhập được tiếp nhận, kiểm tra và công khai",
     "bản kê khai", "CV-TTV", 1, "0.50", EV_HS),
    (16, "Báo cáo công tác thanh tra, tiếp công dân, giải quyết khiếu nại, tố cáo định kỳ",
     "báo cáo", "CV-TH CV-TCD", 2, "6.00", EV_BC),
    (17, "Cuộc thanh tra trách nhiệm thực hiện pháp luật về phòng, chống tham nhũng",
     "cuộc", "CV-TTV LD-TP", 5, "75.00", EV_TT),
    (18, "Văn bản đôn đốc thu hồi tiền, tài sản vi phạm sau thanh tra", "văn bản",
     "CV-TTV", 2, "3.00", EV_VB),
]  # fmt: skip

# --- Sở Khoa học và Công nghệ ------------------------------------------------------------
_SKHCN: list[_Row] = [
    (1, "Văn bản hành chính thông thường: công văn, tờ trình, thông báo", "văn bản",
     "CV-KHCN CV-CDS CV-TH", 1, "1.00", EV_VB),
    # Typed without Vietnamese diacritics on purpose (planted duplicate of STC-002).
    (2, "Bao cao cong tac cai cach hanh chinh dinh ky", "báo cáo",
     "CV-TH", 2, "5.00", EV_BC),
    (3, "KH triển khai nhiệm vụ trọng tâm năm", "kế hoạch",
     "CV-TH", 3, "12.00", EV_KH),
    (4, "Hồ sơ tuyển chọn, giao trực tiếp nhiệm vụ khoa học và công nghệ cấp tỉnh",
     "hồ sơ", "CV-KHCN", 3, "16.00", EV_HS),
    (5, "Hồ sơ đánh giá, nghiệm thu nhiệm vụ khoa học và công nghệ cấp tỉnh", "hồ sơ",
     "CV-KHCN", 3, "20.00", EV_HS),
    (6, "Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
     "giấy chứng nhận", "CV-KHCN", 1, "1.50", EV_TTHC),
    (7, "Kế hoạch chuyển đổi số năm của tỉnh", "kế hoạch",
     "CV-CDS LD-TP LD-PGD", 5, "60.00", EV_KH),
    (8, "Báo cáo tự đánh giá Chỉ số chuyển đổi số cấp tỉnh (DTI)", "báo cáo",
     "CV-CDS", 4, "30.00", EV_BC),
    (9, "Văn bản thẩm định thiết kế, dự toán dự án ứng dụng công nghệ thông tin",
     "văn bản", "CV-CDS", 3, "12.00", EV_TD),
    (10, "Báo cáo giám sát an toàn thông tin mạng hằng tháng", "báo cáo",
     "CV-CDS", 2, "4.00", EV_BC),
    (11, "Hồ sơ cấp giấy phép bưu chính", "hồ sơ",
     "CV-CDS", 2, "3.00", EV_TTHC),
    (12, "Cuộc kiểm tra nhà nước về đo lường, chất lượng sản phẩm, hàng hóa", "cuộc",
     "CV-KHCN", 3, "12.00", EV_KT),
    (13, "Tiếp nhận bản công bố hợp quy sản phẩm, hàng hóa", "bản công bố",
     "CV-KHCN", 1, "1.20", EV_TTHC),
    (14, "Văn bản góp ý về công nghệ đối với dự án đầu tư", "văn bản",
     "CV-KHCN", 2, "4.00", EV_VB),
    (15, "Hồ sơ hỗ trợ doanh nghiệp đăng ký bảo hộ quyền sở hữu công nghiệp", "hồ sơ",
     "CV-KHCN", 2, "3.00", EV_HS),
    (16, "Dự thảo chính sách hỗ trợ đổi mới sáng tạo, khởi nghiệp của tỉnh", "dự thảo",
     "CV-KHCN LD-TP", 5, "50.00", EV_DT),
    (17, "Phiếu xử lý sự cố kỹ thuật hệ thống thông tin dùng chung của tỉnh", "phiếu",
     "CV-CDS", 1, "1.50", EV_HS),
]  # fmt: skip

# --- Phường Thanh Xuân (central urban ward) ----------------------------------------------
_P_THANHXUAN: list[_Row] = [
    (1, "Văn bản xử lý, trả lời phản ánh của người dân qua ứng dụng công dân số", "văn bản",
     "CVX-VP CVX-KTHT", 1, "1.00", EV_VB),
    (2, "Buổi tiếp công dân (định kỳ, đột xuất)", "buổi",
     "CVX-VP LD-CTX", 2, "3.00", EV_TCD),
    # Double spaces and a trailing full stop on purpose (planted duplicate of STP-006).
    (3, "Kế hoạch  triển khai nhiệm vụ trọng tâm  năm.", "kế hoạch",
     "CVX-VP", 3, "12.00", EV_KH),
    (4, "Quyết định xử phạt vi phạm hành chính trong lĩnh vực xây dựng", "quyết định",
     "CVX-KTHT", 2, "4.00", EV_QD),
    (5, "Hồ sơ cho phép sử dụng tạm thời lòng đường, hè phố", "hồ sơ",
     "CVX-KTHT", 1, "1.20", EV_TTHC),
    (6, "Kế hoạch chỉnh trang đô thị, xây dựng tuyến phố văn minh", "kế hoạch",
     "CVX-KTHT", 3, "14.00", EV_KH),
    (7, "Báo cáo công tác vệ sinh môi trường, thu gom rác thải đô thị tháng", "báo cáo",
     "CVX-KTHT", 2, "3.00", EV_BC),
    (8, "Hồ sơ đăng ký kết hôn có yếu tố nước ngoài", "hồ sơ",
     "CVX-TPHT", 3, "8.00", EV_TTHC),
    (9, "Hồ sơ cấp đổi, cấp lại giấy chứng nhận quyền sử dụng đất", "hồ sơ",
     "CVX-DC", 2, "3.00", EV_TTHC),
    (10, "Hồ sơ cấp giấy phép kinh doanh dịch vụ karaoke", "hồ sơ",
     "CVX-VHXH", 2, "4.00", EV_TTHC),
    (11, "Hồ sơ trẻ em có hoàn cảnh đặc biệt được hỗ trợ", "hồ sơ",
     "CVX-VHXH", 1, "1.50", EV_HS),
    (12, "Báo cáo tình hình thu ngân sách nhà nước trên địa bàn phường tháng", "báo cáo",
     "CVX-TCKH", 2, "3.00", EV_BC),
    (13, "Kế hoạch tổ chức Tết Trung thu cho thiếu nhi trên địa bàn phường", "kế hoạch",
     "CVX-VHXH", 2, "3.00", EV_KH),
    (14, "Hồ sơ gắn biển số nhà trên địa bàn phường", "hồ sơ",
     "CVX-KTHT", 1, "0.80", EV_HS),
    (15, "Hồ sơ thanh toán chế độ, phụ cấp cho tổ dân phố", "hồ sơ",
     "HT-KTX", 1, "1.20", EV_KTOAN),
    (16, "Hội nghị đối thoại giữa Chủ tịch Ủy ban nhân dân phường với nhân dân", "hội nghị",
     "CVX-VP LD-CTX", 3, "8.00", EV_HN),
]  # fmt: skip

# --- Phường Đông Thành (industrial ward) -------------------------------------------------
_P_DONGTHANH: list[_Row] = [
    (1, "Biên bản kiểm tra trật tự đô thị, lấn chiếm vỉa hè", "biên bản",
     "CVX-KTHT", 1, "1.00", EV_BB),
    # All lower case on purpose (planted duplicate of X-ANPHU-002).
    (2, "hồ sơ thủ tục hành chính lĩnh vực hộ tịch được giải quyết", "hồ sơ",
     "CVX-TPHT", 1, "1.50", EV_TTHC),
    (3, "Báo cáo tình hình lao động nhập cư, nhà trọ công nhân trên địa bàn", "báo cáo",
     "CVX-VHXH", 2, "3.00", EV_BC),
    (4, "Hồ sơ đăng ký thành lập hộ kinh doanh", "hồ sơ",
     "CVX-KTHT", 1, "0.80", EV_TTHC),
    (5, "Biên bản kiểm đếm đất đai, tài sản phục vụ bồi thường, giải phóng mặt bằng",
     "biên bản", "CVX-DC", 2, "4.00", EV_BB),
    (6, "Kế hoạch kiểm tra điều kiện an toàn nhà trọ, cơ sở lưu trú", "kế hoạch",
     "CVX-KTHT", 3, "8.00", EV_KH),
    (7, "Báo cáo kết quả xử lý ô nhiễm môi trường tại khu dân cư giáp khu công nghiệp",
     "báo cáo", "CVX-DC", 3, "10.00", EV_BC),
    (8, "Hồ sơ xác nhận vay vốn ưu đãi cho hộ nghèo, học sinh, sinh viên", "hồ sơ",
     "CVX-VHXH", 1, "0.80", EV_HS),
    (9, "Báo cáo công tác hòa giải ở cơ sở năm", "báo cáo",
     "CVX-TPHT", 2, "3.00", EV_BC),
    (10, "Hồ sơ đăng ký môi trường của cơ sở sản xuất, kinh doanh", "hồ sơ",
     "CVX-DC", 2, "3.00", EV_TTHC),
    (11, "Kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư", "kế hoạch",
     "CVX-VHXH", 2, "5.00", EV_KH),
    (12, "Tờ trình điều chỉnh dự toán ngân sách phường trình Hội đồng nhân dân phường",
     "tờ trình", "CVX-TCKH", 3, "8.00", EV_NS),
    (13, "Tờ trình đề nghị đặt tên đường, phố trên địa bàn phường", "tờ trình",
     "CVX-KTHT", 3, "12.00", EV_DT),
    (14, "Hồ sơ tiếp nhận thông báo treo băng rôn, quảng cáo tạm thời", "hồ sơ",
     "CVX-VHXH", 1, "0.80", EV_TTHC),
    (15, "Phục vụ phiên họp thường kỳ của Ủy ban nhân dân phường", "phiên họp",
     "CVX-VP", 2, "3.00", EV_HN),
    (16, "Văn bản chỉ đạo các tổ dân phố về an ninh trật tự khu nhà trọ", "văn bản",
     "CVX-VP LD-PCTX", 1, "1.20", EV_VB),
]  # fmt: skip

# --- Xã An Phú (lowland rice-growing commune) --------------------------------------------
_X_ANPHU: list[_Row] = [
    (1, "Hồ sơ chứng thực bản sao từ bản chính, chứng thực chữ ký", "hồ sơ",
     "CVX-TPHT", 1, "1.00", EV_TTHC),
    (2, "Hồ sơ thủ tục hành chính lĩnh vực hộ tịch được giải quyết", "hồ sơ",
     "CVX-TPHT", 1, "1.50", EV_TTHC),
    # A stray space before the comma on purpose (planted duplicate of TTT-003).
    (3, "Buổi tiếp công dân định kỳ , đột xuất", "buổi",
     "CVX-VP LD-CTX", 2, "3.00", EV_TCD),
    (4, "Dự toán thu, chi ngân sách xã năm", "dự toán",
     "CVX-TCKH", 4, "24.00", EV_NS),
    (5, "Báo cáo tình hình kinh tế - xã hội, quốc phòng, an ninh tháng của xã", "báo cáo",
     "CVX-VP", 2, "4.00", EV_BC),
    (6, "Hồ sơ hòa giải tranh chấp đất đai tại Ủy ban nhân dân xã", "hồ sơ",
     "CVX-DC", 2, "6.00", EV_HS),
    (7, "Kế hoạch sản xuất lúa vụ Đông Xuân trên địa bàn xã", "kế hoạch",
     "CVX-DC", 3, "10.00", EV_KH),
    (8, "Báo cáo kết quả thực hiện các tiêu chí xã nông thôn mới nâng cao", "báo cáo",
     "CVX-DC CVX-TCKH", 3, "12.00", EV_BC),
    (9, "Hồ sơ rà soát hộ nghèo, hộ cận nghèo hằng năm", "hồ sơ",
     "CVX-VHXH", 2, "2.00", EV_HS),
    (10, "Hồ sơ hưởng trợ cấp xã hội hằng tháng của đối tượng bảo trợ xã hội", "hồ sơ",
     "CVX-VHXH", 1, "1.20", EV_TTHC),
    (11, "Kế hoạch tổ chức hoạt động văn hóa, văn nghệ, thể thao mừng Đảng, mừng Xuân",
     "kế hoạch", "CVX-VHXH", 2, "5.00", EV_KH),
    (12, "Dự thảo nghị quyết của Hội đồng nhân dân xã", "dự thảo",
     "CVX-VP LD-TPX", 4, "20.00", EV_DT),
    (13, "Hồ sơ hỗ trợ giống cây trồng, vật nuôi cho hộ nông dân", "hồ sơ",
     "CVX-DC", 1, "1.20", EV_HS),
    (14, "Chứng từ thu, chi ngân sách xã được lập, kiểm soát và hạch toán", "bộ chứng từ",
     "HT-KTX", 1, "0.50", EV_KTOAN),
    (15, "Phục vụ kỳ họp thường lệ của Hội đồng nhân dân xã", "kỳ họp",
     "CVX-VP", 3, "16.00", EV_HN),
    (16, "Hồ sơ trực tuyến được hướng dẫn người dân nộp trên Cổng Dịch vụ công quốc gia",
     "hồ sơ", "CVX-TPHT CVX-VP", 1, "0.80", EV_TTHC),
    (17, "Kế hoạch phòng, chống dịch bệnh trên đàn gia súc, gia cầm", "kế hoạch",
     "CVX-DC", 3, "8.00", EV_KH),
]  # fmt: skip

# --- Xã Tân Lập (mountainous commune, forestry, ethnic minorities) -----------------------
_X_TANLAP: list[_Row] = [
    (1, "Văn bản hướng dẫn, đôn đốc các thôn triển khai nhiệm vụ", "văn bản",
     "CVX-VP", 1, "1.00", EV_VB),
    (2, "Hồ sơ TTHC lĩnh vực hộ tịch được giải quyết", "hồ sơ",
     "CVX-TPHT", 1, "1.50", EV_TTHC),
    # No space after the comma on purpose (planted duplicate of SNV-002).
    (3, "Văn bản đến được tiếp nhận,vào sổ và chuyển xử lý", "văn bản",
     "HT-VTX", 1, "0.50", EV_VT),
    (4, "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân",
     "hồ sơ", "CVX-DC", 2, "5.00", EV_TTHC),
    (5, "Hồ sơ giao rừng, cho thuê rừng cho hộ gia đình, cá nhân", "hồ sơ",
     "CVX-DC", 3, "12.00", EV_HS),
    (6, "Biên bản kiểm tra, xác minh vụ việc phá rừng, lấn chiếm đất rừng", "biên bản",
     "CVX-DC", 2, "3.00", EV_BB),
    (7, "Báo cáo thực hiện Chương trình mục tiêu quốc gia vùng đồng bào dân tộc thiểu số "
        "và miền núi", "báo cáo",
     "CVX-TCKH CVX-VHXH", 3, "14.00", EV_BC),
    (8, "Hồ sơ hỗ trợ xóa nhà tạm, nhà dột nát cho hộ nghèo", "hồ sơ",
     "CVX-VHXH", 2, "4.00", EV_HS),
    (9, "Danh sách người dân tộc thiểu số được cấp thẻ bảo hiểm y tế", "danh sách",
     "CVX-VHXH", 1, "1.50", EV_HS),
    (10, "Hội nghị tuyên truyền, phổ biến pháp luật cho đồng bào dân tộc thiểu số",
     "hội nghị", "CVX-TPHT", 2, "4.00", EV_HN),
    (11, "Báo cáo quyết toán thu, chi ngân sách xã năm", "báo cáo",
     "CVX-TCKH", 4, "20.00", EV_NS),
    (12, "Kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn của xã", "kế hoạch",
     "CVX-KTHT", 3, "12.00", EV_KH),
    (13, "Hồ sơ xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình", "hồ sơ",
     "CVX-VHXH", 1, "0.80", EV_HS),
    (14, "Báo cáo tiến độ công trình giao thông nông thôn, kênh mương nội đồng", "báo cáo",
     "CVX-KTHT", 2, "4.00", EV_BC),
    (15, "Tài liệu hành chính năm được chỉnh lý, lập mục lục tại Ủy ban nhân dân xã",
     "hồ sơ", "HT-VTX", 2, "2.00", EV_LT),
    (16, "Hồ sơ chi trả chế độ cho người có uy tín trong đồng bào dân tộc thiểu số", "hồ sơ",
     "CVX-VHXH", 1, "1.20", EV_HS),
]  # fmt: skip

# --- Xã Hòa Phong (coastal fishing commune) ----------------------------------------------
_X_HOAPHONG: list[_Row] = [
    (1, "Hồ sơ xác nhận, giải quyết chế độ chính sách người có công", "hồ sơ",
     "CVX-VHXH", 1, "1.00", EV_TTHC),
    # Parentheses on purpose (planted duplicate of X-ANPHU-002).
    (2, "Hồ sơ thủ tục hành chính (lĩnh vực hộ tịch) được giải quyết", "hồ sơ",
     "CVX-TPHT", 1, "1.50", EV_TTHC),
    (3, "Danh sách tàu cá hoạt động trên địa bàn được kiểm tra, cập nhật", "danh sách",
     "CVX-DC", 1, "0.80", EV_CSDL),
    (4, "Kế hoạch phòng, chống bão, áp thấp nhiệt đới và nước biển dâng", "kế hoạch",
     "CVX-KTHT", 3, "14.00", EV_KH),
    (5, "Báo cáo tình hình nuôi trồng, khai thác thủy sản quý", "báo cáo",
     "CVX-DC", 2, "4.00", EV_BC),
    (6, "Biên bản kiểm tra công trình xây dựng vi phạm hành lang bảo vệ bờ biển",
     "biên bản", "CVX-KTHT", 2, "3.00", EV_BB),
    (7, "Hồ sơ đăng ký biến động đất đai (chuyển nhượng, thừa kế, tặng cho)", "hồ sơ",
     "CVX-DC", 2, "2.50", EV_TTHC),
    (8, "Kế hoạch thu gom rác thải, bảo vệ môi trường ven biển", "kế hoạch",
     "CVX-DC", 3, "8.00", EV_KH),
    (9, "Kế hoạch tổ chức Lễ hội Cầu Ngư truyền thống", "kế hoạch",
     "CVX-VHXH", 3, "12.00", EV_KH),
    (10, "Báo cáo công tác gia đình, bình đẳng giới năm", "báo cáo",
     "CVX-VHXH", 2, "4.00", EV_BC),
    (11, "Phương án điều chỉnh dự toán ngân sách xã giữa năm", "phương án",
     "CVX-TCKH", 3, "10.00", EV_NS),
    (12, "Văn bản trả lời kiến nghị của cử tri sau kỳ họp Hội đồng nhân dân", "văn bản",
     "CVX-VP", 2, "2.00", EV_VB),
    (13, "Phục vụ hội nghị tiếp xúc cử tri của đại biểu Hội đồng nhân dân", "hội nghị",
     "CVX-VP", 2, "3.00", EV_HN),
    (14, "Bảng lương, phụ cấp của cán bộ, công chức xã hằng tháng", "bảng lương",
     "HT-KTX", 1, "2.00", EV_KTOAN),
    (15, "Hồ sơ hỗ trợ ngư dân bị thiệt hại do thiên tai", "hồ sơ",
     "CVX-DC", 2, "3.00", EV_HS),
    (16, "Báo cáo thống kê hộ tịch 6 tháng, năm", "báo cáo",
     "CVX-TPHT", 2, "2.00", EV_BC),
]  # fmt: skip

# --- Xã Yên Sơn (midland tea-growing commune) --------------------------------------------
_X_YENSON: list[_Row] = [
    (1, "Giấy mời, thông báo triệu tập họp của Ủy ban nhân dân xã", "văn bản",
     "CVX-VP", 1, "1.00", EV_VB),
    (2, "Báo cáo tình hình thực hiện nhiệm vụ định kỳ tháng", "báo cáo",
     "CVX-VP", 2, "4.00", EV_BC),
    # Capitalised "Hội nghị" and a dash instead of a comma (planted duplicate of SNV-005).
    (3, "Tổ chức Hội nghị - cuộc họp chuyên đề", "cuộc",
     "CVX-VP", 1, "1.60", EV_HN),
    (4, "Hồ sơ trích lục, trích đo bản đồ địa chính thửa đất", "hồ sơ",
     "CVX-DC", 1, "0.80", EV_TTHC),
    (5, "Kế hoạch phát triển vùng nguyên liệu chè an toàn, chè hữu cơ", "kế hoạch",
     "CVX-DC", 3, "10.00", EV_KH),
    (6, "Hồ sơ đề nghị đánh giá, phân hạng sản phẩm OCOP của xã", "hồ sơ",
     "CVX-KTHT", 3, "8.00", EV_HS),
    (7, "Hồ sơ đăng ký nhận cha, mẹ, con", "hồ sơ",
     "CVX-TPHT", 2, "2.00", EV_TTHC),
    (8, "Hồ sơ bình xét danh hiệu Gia đình văn hóa, Thôn văn hóa", "hồ sơ",
     "CVX-VHXH", 1, "1.50", EV_HS),
    (9, "Kế hoạch tiêm chủng mở rộng cho trẻ em tại xã", "kế hoạch",
     "CVX-VHXH", 2, "3.00", EV_KH),
    (10, "Biểu công khai ngân sách xã trên bảng tin và cổng thông tin điện tử", "biểu",
     "CVX-TCKH", 1, "1.50", EV_NS),
    (11, "Hồ sơ quyết toán dự án hoàn thành do xã làm chủ đầu tư", "hồ sơ",
     "CVX-TCKH", 4, "24.00", EV_HS),
    (12, "Kế hoạch lựa chọn nhà thầu công trình do xã làm chủ đầu tư", "kế hoạch",
     "CVX-KTHT", 3, "12.00", EV_KH),
    (13, "Hồ sơ chứng thực hợp đồng, giao dịch liên quan đến bất động sản", "hồ sơ",
     "CVX-TPHT", 1, "1.50", EV_TTHC),
    (14, "Báo cáo kê khai, kiểm kê tài sản công của xã năm", "báo cáo",
     "HT-KTX", 2, "3.00", EV_KTOAN),
    (15, "Hồ sơ hỗ trợ chuyển đổi cơ cấu cây trồng trên đất trồng lúa", "hồ sơ",
     "CVX-DC", 2, "2.50", EV_HS),
]  # fmt: skip

# agency code -> (number of the standard product, minutes for one standard product, rows)
_CATALOGS: dict[str, tuple[int, int, list[_Row]]] = {
    "SNV": (1, 120, _SNV),
    "STC": (1, 120, _STC),
    "STP": (1, 180, _STP),
    "SXD": (1, 150, _SXD),
    "SYT": (1, 180, _SYT),
    "SGDDT": (1, 120, _SGDDT),
    "SNNMT": (1, 150, _SNNMT),
    "VPUBND": (1, 90, _VPUBND),
    "TTT": (1, 60, _TTT),
    "SKHCN": (1, 120, _SKHCN),
    "P-THANHXUAN": (1, 60, _P_THANHXUAN),
    "P-DONGTHANH": (1, 60, _P_DONGTHANH),
    "X-ANPHU": (1, 60, _X_ANPHU),
    "X-TANLAP": (1, 90, _X_TANLAP),
    "X-HOAPHONG": (1, 60, _X_HOAPHONG),
    "X-YENSON": (1, 60, _X_YENSON),
}

_FIVE = Decimal(5)


def _minutes(coefficient: str, group: int, standard_minutes: int) -> int | None:
    if group > 2:
        return None
    raw = Decimal(coefficient) * standard_minutes / _FIVE
    return max(5, int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5)


def _build(agency: str, standard_no: int, standard_minutes: int, rows: list[_Row]) -> list:
    return [
        {
            "code": f"{agency}-{no:03d}",
            "name": name,
            "unit": unit,
            "positions": positions.split(),
            "group": group,
            "coefficient": coefficient,
            "is_standard": no == standard_no,
            "standard_minutes": _minutes(coefficient, group, standard_minutes),
            "evidence": evidence,
        }
        for no, name, unit, positions, group, coefficient, evidence in rows
    ]


PRODUCTS_BY_AGENCY: dict[str, list[dict]] = {
    agency: _build(agency, standard_no, minutes, rows)
    for agency, (standard_no, minutes, rows) in _CATALOGS.items()
}

NFD_ITEM: tuple[str, str] = ("VPUBND", "VPUBND-002")
"""The only product whose name is deliberately stored in NFD (decomposed) form."""

PLANTED_DUPLICATES: list[list[tuple[str, str]]] = [
    # Standard product, abbreviations (VB, CV, TTr, TB) and punctuation (":" vs "( )").
    [("SNV", "SNV-001"), ("STC", "STC-001"), ("SKHCN", "SKHCN-001")],
    # Case (ALL CAPS) and missing diacritics.
    [("STC", "STC-002"), ("TTT", "TTT-002"), ("SKHCN", "SKHCN-002")],
    # Word order: "tháng định kỳ" / "định kỳ hằng tháng" / "... định kỳ tháng".
    [("SNV", "SNV-004"), ("SYT", "SYT-002"), ("X-YENSON", "X-YENSON-002")],
    # NFC vs NFD encoding, case ("Hội nghị") and "," vs " - ".
    [("SNV", "SNV-005"), ("VPUBND", "VPUBND-002"), ("X-YENSON", "X-YENSON-003")],
    # Abbreviations QĐ and UBND, case ("Quyết định").
    [("SXD", "SXD-014"), ("SGDDT", "SGDDT-002"), ("SNNMT", "SNNMT-002")],
    # Abbreviations BC and UBND; "Uỷ" (new-style tone mark) vs "Ủy".
    [("STC", "STC-011"), ("SNNMT", "SNNMT-003")],
    # Abbreviation KH; doubled spaces and a trailing full stop.
    [("STP", "STP-006"), ("SKHCN", "SKHCN-003"), ("P-THANHXUAN", "P-THANHXUAN-003")],
    # Abbreviation TTHC; parentheses; all lower case.
    [
        ("X-ANPHU", "X-ANPHU-002"),
        ("X-TANLAP", "X-TANLAP-002"),
        ("X-HOAPHONG", "X-HOAPHONG-002"),
        ("P-DONGTHANH", "P-DONGTHANH-002"),
    ],
    # Abbreviation VB; "vào sổ và" vs "vào sổ,"; missing space after a comma.
    [("SNV", "SNV-002"), ("SGDDT", "SGDDT-003"), ("X-TANLAP", "X-TANLAP-003")],
    # Space before a comma; parentheses.
    [("TTT", "TTT-003"), ("X-ANPHU", "X-ANPHU-003"), ("P-THANHXUAN", "P-THANHXUAN-002")],
    # Abbreviation NSNN.
    [("SYT", "SYT-009"), ("SGDDT", "SGDDT-004")],
]
"""Groups of items in different agencies that are the same product written differently."""

UNRELATED_LOOKALIKES: list[tuple[tuple[str, str], tuple[str, str]]] = [
    # Both "Báo cáo ...", otherwise unrelated (investment appraisal vs annual review).
    (("STC", "STC-003"), ("SNV", "SNV-006")),
    # "Hồ sơ cấp chứng chỉ ...": construction capability vs medical practice licence.
    (("SXD", "SXD-005"), ("SYT", "SYT-001")),
    # "Quyết định công nhận ... đạt chuẩn ...": national-standard school vs new-rural commune.
    (("SGDDT", "SGDDT-007"), ("SNNMT", "SNNMT-010")),
    # Verification report on a complaint vs on a denunciation (same agency, one word apart).
    (("TTT", "TTT-008"), ("TTT", "TTT-009")),
    # "Hồ sơ cấp giấy phép ...": building permit vs environmental permit.
    (("SXD", "SXD-004"), ("SNNMT", "SNNMT-009")),
    # "Kế hoạch ... năm": annual inspection plan vs annual key-tasks plan (planted group).
    (("TTT", "TTT-007"), ("STP", "STP-006")),
    # "Kế hoạch phòng, chống dịch bệnh ...": livestock epidemics vs human infectious disease.
    (("X-ANPHU", "X-ANPHU-017"), ("SYT", "SYT-007")),
    # Commune budget estimate vs commune budget settlement (dự toán vs quyết toán).
    (("X-ANPHU", "X-ANPHU-004"), ("X-TANLAP", "X-TANLAP-011")),
    # Land-use certificate: first issue vs renewal/re-issue (different procedures).
    (("X-TANLAP", "X-TANLAP-004"), ("P-THANHXUAN", "P-THANHXUAN-009")),
    # Ward People's Committee session vs commune People's Council session.
    (("P-DONGTHANH", "P-DONGTHANH-015"), ("X-ANPHU", "X-ANPHU-015")),
    # Appraisal of a provincial decision vs of a People's Council resolution (same agency;
    # coefficients 30 vs 76).
    (("STP", "STP-002"), ("STP", "STP-003")),
]
"""Pairs that share many words but are different products: must NOT be merged."""
